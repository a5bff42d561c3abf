"""briefgen: advocacy briefs for parliamentarians from content files and templates."""

# Read by the build backend (pyproject.toml, tool.hatch.version); a plain string so that
# starting the command does not pay for importlib.metadata (about 0.1 s).
__version__ = "0.1.0"
