"""The import contract lists reporting's modules one by one below its start page
(.importlinter, docs/decisions/0012-one-shape.md): every module of reporting/ is there, so
none escapes the layers."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_module_of_reporting_is_in_the_layers():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layers = config["importlinter:contract:layers"]["layers"].split("\n")
    assert layers[1].strip() == "reporting.start"
    listed = {m.strip() for m in layers[2].split(":")}
    modules = {
        f"reporting.{path.stem}"
        for path in (ROOT / "reporting").iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists())
        and path.stem not in {"__init__", "migrations", "start"}
    }
    assert modules - listed == set(), "add these to .importlinter's reporting layer"
    forbidden = config["importlinter:contract:reporting-not-above"]["source_modules"].split()
    assert set(forbidden) == modules
