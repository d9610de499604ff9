"""Course setup files (issue 22): environment.yml agrees with pyproject.toml; binder/; docs/teaching.md."""
import re
import tomllib
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")
Requirement = pytest.importorskip("packaging.requirements").Requirement
canon = pytest.importorskip("packaging.utils").canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _reqs(lines):
    out = {}
    for line in lines:
        r = Requirement(line)
        out[canon(r.name)] = str(r.specifier)
    return out


def _env(path):
    deps = yaml.safe_load(path.read_text())["dependencies"]
    conda = [d for d in deps if isinstance(d, str)]
    pip = next((d["pip"] for d in deps if isinstance(d, dict) and "pip" in d), [])
    return conda, pip


def test_environment_yml_pip_list_is_pyprojects():
    """Every dependency of pyproject.toml ([project] and the lab and test extras) with the same
    version specifier, nothing else, then the repository itself (-e .)."""
    conda, pip = _env(ROOT / "environment.yml")
    project = PYPROJECT["project"]
    want = _reqs(project["dependencies"] + project["optional-dependencies"]["lab"]
                 + project["optional-dependencies"]["test"])
    assert pip[-1] == "-e ."
    assert _reqs(pip[:-1]) == want
    py = re.fullmatch(r"python=(\d+\.\d+)", next(c for c in conda if c.startswith("python")))
    assert Requirement(f"python{project['requires-python']}").specifier.contains(py.group(1) + ".0")


def test_binder_opens_the_course():
    conda, pip = _env(ROOT / "binder" / "environment.yml")
    assert "pip" in conda and any(c.startswith("python=3.") for c in conda)
    post = ROOT / "binder" / "postBuild"
    assert post.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert re.search(r"pip install .*-e \"?\.\[lab\]\"?", post.read_text())
    assert (ROOT / "notebooks" / "00_start_here.ipynb").is_file()


def test_teaching_md_links_resolve():
    text = (ROOT / "docs" / "teaching.md").read_text()
    links = re.findall(r"\]\((\.\./[^)#]+)(?:#([^)]+))?\)", text)
    assert links
    for path, anchor in links:
        target = (ROOT / "docs" / path).resolve()
        assert target.exists(), path
        if anchor:
            heads = [re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                     for h in re.findall(r"^#+ (.+)$", target.read_text(), re.M)]
            assert anchor in heads, f"{path}#{anchor}"
