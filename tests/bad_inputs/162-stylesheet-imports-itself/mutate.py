"""A stylesheet that imports itself three times: an HTML build grew without end."""

from pathlib import Path


def mutate(project: Path) -> None:
    (project / "extra.css").write_text('@import "extra.css";\n@import"extra.css";\n'
                                       '@import "extra.css";\n', "utf-8")
    config = project / "briefgen.yaml"
    config.write_text(config.read_text("utf-8") + "theme:\n  stylesheets: [extra.css]\n",
                      "utf-8")
