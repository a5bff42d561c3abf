"""A project stylesheet saved as Latin-1: located, not a UnicodeDecodeError."""

from pathlib import Path


def mutate(project: Path) -> None:
    (project / "extra.css").write_bytes(b"h1 { color: #333 }\n/* Fran\xe7ais */\n")
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  stylesheets: [extra.css]\n",
                      "utf-8")
