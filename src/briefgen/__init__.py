"""briefgen: advocacy briefs for parliamentarians from content files and templates."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("briefgen")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+source"
