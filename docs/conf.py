"""Sphinx configuration of skrnn's documentation."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
import skrnn  # noqa: E402

project = "skrnn"
author = "skrnn developers"
copyright = "2026, skrnn developers"
release = version = skrnn.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
templates_path = ["_templates"]
default_role = "literal"  # `n_features_in_` in docstrings, as in scikit-learn
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
html_theme = "pydata_sphinx_theme"
html_title = "skrnn"

# Examples train networks: they are executed only when SKRNN_DOCS_RUN_EXAMPLES=1 (the test suite
# runs each script with tiny settings instead).
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "ignore_pattern": r"_settings\.py|__init__\.py",
    "plot_gallery": os.environ.get("SKRNN_DOCS_RUN_EXAMPLES") == "1",
    "download_all_examples": False,
}
