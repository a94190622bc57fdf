"""The notebooks are the source: stored without outputs, and run top to bottom.

They are plain .ipynb files, edited in Jupyter; nbstripout (a pre-commit hook, and
``make lint``) strips outputs and execution counts before they are committed, and
ruff lints and formats their code cells like the rest of the tree. They are executed
with the ``python3`` kernel; jupyter_client starts it with the interpreter running
pytest (the venv's), where ipykernel is installed.
"""

from __future__ import annotations

import json
import subprocess
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


def test_all_notebooks_are_present():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == EXPECTED


def test_notebooks_are_stored_without_outputs():
    for name in EXPECTED:
        notebook = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert code, name
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code), name


def test_nbstripout_finds_nothing_to_strip(tmp_path):
    paths = [str(NOTEBOOK_DIR / name) for name in EXPECTED]
    verify = [sys.executable, "-m", "nbstripout", "--verify"]
    clean = subprocess.run([*verify, *paths], capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # …and the check does fail on a notebook that carries an output.
    notebook = nbformat.read(NOTEBOOK_DIR / EXPECTED[0], as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="as of 2023-12-15\n")]
    cell.execution_count = 1
    dirty = tmp_path / "dirty.ipynb"
    nbformat.write(notebook, dirty)
    caught = subprocess.run([*verify, str(dirty)], capture_output=True, text=True, check=False)
    assert caught.returncode != 0


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
