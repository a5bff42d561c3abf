"""A reference.docx of 300 KB that unpacks to 300 MB: the shared one with its styles
part replaced by 300 MB of spaces (made here: not worth storing in the corpus)."""

import zipfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "src/briefgen/templates/_shared/reference.docx"


def mutate(project: Path) -> None:
    target = project / "templates/brief/reference.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(SHARED) as source, zipfile.ZipFile(target, "w",
                                                           zipfile.ZIP_DEFLATED) as bomb:
        for name in source.namelist():
            if name == "word/styles.xml":
                with bomb.open(name, "w", force_zip64=True) as member:
                    for _ in range(300):
                        member.write(b" " * 2**20)
            else:
                bomb.writestr(name, source.read(name))
