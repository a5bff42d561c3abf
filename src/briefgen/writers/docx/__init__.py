"""Word output: the rendered brief as an editable .docx (see convert.py)."""

from .convert import write_docx

__all__ = ["write_docx"]
