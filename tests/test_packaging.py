"""What `pip install .` ships: every subpackage and the bundled model.

The tests import igfnet from the checkout, so a subpackage missing from
setup.cfg would pass them and still break an installed igfnet.
"""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def declared_packages():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return {line.strip() for line in config["options"]["packages"].splitlines() if line.strip()}


def test_setup_cfg_lists_every_subpackage():
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "igfnet").rglob("__init__.py")}
    assert on_disk - declared_packages() == set()


def test_the_bundled_model_is_installed_from_rules():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert "igfnet.bundled_model" in declared_packages()
    assert "igfnet.bundled_model = rules" in config["options"]["package_dir"]
