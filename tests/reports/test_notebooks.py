"""The notebooks are stored without outputs, match their generator, and run top to bottom.

They are executed with the ``python3`` kernel; jupyter_client starts it with the
interpreter running pytest (the venv's), where ipykernel is installed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
EXPECTED = [
    "01_demo_book_of_business.ipynb",
    "02_matching.ipynb",
    "03_dognindsats_roster.ipynb",
    "04_capacity_planning.ipynb",
]


def _generator():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_notebooks
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return build_notebooks


def test_all_notebooks_are_present():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == EXPECTED


def test_notebooks_are_stored_without_outputs():
    for name in EXPECTED:
        notebook = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert code, name
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), name


def test_notebooks_match_their_generator():
    assert _generator().main(["--check"]) == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_executes_top_to_bottom(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything a notebook writes stays in the temp dir
    notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    code = [c for c in notebook.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, f"{name} drew no figure"
