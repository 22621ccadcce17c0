#!/usr/bin/python3
"""Executes a notebook top to bottom with nbclient (any cell's error fails) and writes the
executed copy: run_notebook.py IN.ipynb OUT.ipynb. Cells run in IN's folder."""
import pathlib
import sys

import nbclient
import nbformat

src, dst = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2])
nb = nbformat.read(src, as_version=4)
nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(src.parent)}}).execute()
nbformat.write(nb, dst)
print(f"{src.name}: {len(nb.cells)} cells executed without error -> {dst}")
