"""The pins: requirements.txt and environment.yml describe one environment, and it is installed."""

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<op>==|=)\s*(?P<version>[^;\s]+)\s*(?:;\s*(?P<marker>.+))?$")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(lines):
    pins = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        match = PIN.match(line)
        assert match, f"not an exact pin: {line!r}"
        pins[(normal(match["name"]), (match["marker"] or "").replace("'", '"'))] = match["version"]
    return pins


def requirements():
    return parse((ROOT / "requirements.txt").read_text().splitlines())


def conda_environment():
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [item for item in spec["dependencies"] if isinstance(item, str)]
    pip = next(item["pip"] for item in spec["dependencies"] if isinstance(item, dict))
    return spec, parse(item for item in conda if item not in {"pip"} and not item.startswith("python=")), parse(pip)


def test_every_requirement_is_an_exact_pin():
    pins = requirements()
    assert pins[("torch", "")] == "2.13.0"
    assert pins[("tensorflow-cpu", 'sys_platform != "darwin"')] == "2.21.0"
    assert pins[("jupyter-book", "")].startswith("1.0.")


def test_conda_environment_has_the_same_packages_and_versions():
    spec, conda, pip = conda_environment()
    assert "conda-forge" in spec["channels"]
    assert not set(conda) & set(pip), "a package is listed both for conda and for pip"
    assert {**conda, **pip} == requirements()


def test_conda_environment_uses_the_same_python_and_constraints():
    spec, _, _ = conda_environment()
    assert "python=3.11" in spec["dependencies"]
    pip = next(item["pip"] for item in spec["dependencies"] if isinstance(item, dict))
    assert "-c constraints.txt" in pip and "-e ." in pip


def test_constraints_do_not_contradict_the_requirements():
    constraints = parse(line for line in (ROOT / "constraints.txt").read_text().splitlines())
    clashes = {name for (name, _), pinned in requirements().items()
               if (name, "") in constraints and constraints[(name, "")] != pinned}
    assert not clashes


def test_the_installed_environment_is_the_pinned_one():
    import platform

    for (name, marker), pinned in requirements().items():
        if "darwin" in marker and platform.system() != "Darwin" or "!=" in marker and platform.system() == "Darwin":
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            pytest.fail(f"{name} is pinned but not installed")
        assert installed.split("+")[0] == pinned, f"{name}: installed {installed}, pinned {pinned}"


def test_torch_is_not_a_cuda_build_on_a_cpu_machine():
    import torch

    assert torch.version.cuda is None or torch.cuda.is_available(), "a CUDA torch was installed on a CPU machine"
