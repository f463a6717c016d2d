"""Hostile and broken records, as a careless or hostile pull request would bring them.

Every case runs `pra check` and `mkdocs build` in a subprocess under a memory limit (300 MB
of address space), a CPU limit (5 s) and a wall-clock guard (for a hang, which uses no
CPU), and must end with exit 1, `file:line:column` lines and no traceback. The figures are
printed (`pytest -s`), not asserted on: the limits do the asserting.

The cases that can live in git are golden fixtures in tests/fixtures/records/bad/ (their
exact `pra check` output is checked by test_loader.py); the ones that cannot (symbolic
links, named pipes, unreadable files, a 100,000-deep nesting) are made here at run time.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from peer_review_archive.outputs.downloads import csv_cell, spreadsheet_safe
from peer_review_archive.records.ids import RESERVED_IDS, reserved
from peer_review_archive.records.plain_yaml import LIMITS
from support.builds import ROOT, make_project

FIXTURES = Path(__file__).parent / "fixtures" / "records"
MEMORY = 300 << 20
CPU_SECONDS = 5
HANG_GUARD = 120  # wall seconds: only a hang comes near it
PROBLEM_LINE = re.compile(r"^reviews/\S+:\d+:\d+: ")
STATIC = sorted(p.name for p in (FIXTURES / "bad").iterdir()
                if p.name.startswith(("yaml-", "text-", "extension-", "reserved-", "registry-", "missing-field-")))
RESOURCE_STATIC = ["yaml-billion-laughs", "yaml-nesting-1000", "yaml-long-integer", "yaml-tag-python"]
SECRET = "SECRET-VALUE-FROM-OUTSIDE"


@dataclass
class Run:
    returncode: int
    output: str
    seconds: float


def limited(command: list[str], cwd: Path, user: int | None = None) -> Run:
    """`command` under the memory and CPU limits (and as `user`, when given); its figures."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
        if user is not None:
            os.setgid(user)
            os.setuid(user)

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SITE_URL", None)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               preexec_fn=limit)
    try:
        output, _ = process.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"{command[2]} hung for {HANG_GUARD} s:\n{output.decode(errors='replace')}")
    return Run(process.returncode, output.decode("utf-8", errors="replace"), time.perf_counter() - started)


def pra_check(project: Path, user: int | None = None) -> Run:
    return limited([sys.executable, "-m", "peer_review_archive.cli", "check", "reviews"], project, user)


def mkdocs_build(project: Path, user: int | None = None) -> Run:
    return limited([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
                    "--site-dir", str(project / "site")], project, user)


def assert_clear_failure(run: Run, expected: list[str], what: str) -> None:
    print(f"{what}: exit {run.returncode} in {run.seconds:.2f} s")
    assert run.returncode == 1, run.output
    assert "Traceback" not in run.output, run.output
    for line in expected:
        assert line in run.output, f"{line!r} not in:\n{run.output}"


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if PROBLEM_LINE.match(line)]


# --- the golden fixtures, in subprocesses ------------------------------------------------


def project_with_fixture(dest: Path, case: str) -> Path:
    records = dest / "records"
    shutil.copytree(FIXTURES / "valid", records)
    case_dir = FIXTURES / "bad" / case
    shutil.copy(case_dir / "record.yml", records / (case_dir / "target").read_text().strip())
    return make_project(dest / "project", records)


@pytest.mark.parametrize("case", STATIC)
def test_golden_case_in_pra_check_within_limits(case: str, tmp_path: Path) -> None:
    project = project_with_fixture(tmp_path, case)
    expected = (FIXTURES / "bad" / case / "expected").read_text().splitlines()
    run = pra_check(project)
    assert_clear_failure(run, expected, f"pra check {case}")
    assert problem_lines(run.output) == expected


@pytest.mark.parametrize("case", RESOURCE_STATIC)
def test_golden_case_in_mkdocs_build_within_limits(case: str, tmp_path: Path) -> None:
    project = project_with_fixture(tmp_path, case)
    expected = (FIXTURES / "bad" / case / "expected").read_text().splitlines()
    assert_clear_failure(mkdocs_build(project), expected, f"mkdocs build {case}")
    assert not (project / "site").exists()


def test_every_golden_case_at_once_in_mkdocs_build(tmp_path: Path) -> None:
    """All the hostile fixtures in one archive (each under its own file name): one build
    reports every one of them, and nothing else but what they cause."""
    records = tmp_path / "records"
    shutil.copytree(FIXTURES / "valid", records)
    expected = []
    for number, case in enumerate(STATIC):
        case_dir = FIXTURES / "bad" / case
        target = (case_dir / "target").read_text().strip()
        if target != "alpha-2016.yml":
            continue
        name = f"hostile-{2000 + number}"
        text = (case_dir / "record.yml").read_text(encoding="utf-8").replace("alpha-2016", name)
        (records / f"{name}.yml").write_text(text, encoding="utf-8")
        expected += [line.split(": ", 1)[1] for line in (case_dir / "expected").read_text().splitlines()]
    run = mkdocs_build(make_project(tmp_path / "project", records))
    assert_clear_failure(run, [], "mkdocs build, every case")
    reported = {line.split(": ", 1)[1] for line in problem_lines(run.output)}
    missing = [line for line in expected if line not in reported and "`alpha-2016`" not in line]
    assert not missing, run.output


# --- the cases git cannot hold, made at run time ------------------------------------------

Case = Callable[[Path, Path], list[str]]  # (records folder, a folder outside the project) -> expected


def nesting_100000(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").write_text("id: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["reviews/hostile-2016.yml:1:12: id[0][0][0][0][0][0][0]: lists and mappings are nested more than 8 deep"]


def oversize(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").write_text("# padding\n" * (LIMITS.file_bytes // 10 + 1))
    return ["reviews/hostile-2016.yml:1:1: (file): the file is 1,048,580 bytes; a record file may be at most 1,048,576"]


def long_text(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").write_text("id: hostile-2016\ntitle: " + "a" * 50_001 + "\n")
    return ["reviews/hostile-2016.yml:2:8: title: a text of 50,001 characters; the limit is 50,000"]


def many_entries(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").write_text("reviewers: [" + "a, " * 10_001 + "]\n")
    return ["reviews/hostile-2016.yml:1:30013: reviewers[10000]: more than 10,000 entries in one list or mapping"]


def many_values(records: Path, outside: Path) -> list[str]:
    chunk = "[" + ",".join(["a"] * 10_000) + "]"
    (records / "hostile-2016.yml").write_text("x: [" + ",".join([chunk] * 21) + "]\n")
    return ["reviews/hostile-2016.yml:1:", "the file holds more than 200,000 values"]


def dangling_link(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").symlink_to("no-such-file.yml")
    return ["reviews/hostile-2016.yml:1:1: (file): a symbolic link to nothing"]


def link_loop(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").symlink_to("hostile-2017.yml")
    (records / "hostile-2017.yml").symlink_to("hostile-2016.yml")
    return ["reviews/hostile-2016.yml:1:1: (file): a symbolic link that loops",
            "reviews/hostile-2017.yml:1:1: (file): a symbolic link that loops"]


def link_to_dev_zero(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").symlink_to("/dev/zero")
    return ["reviews/hostile-2016.yml:1:1: (file): a symbolic link to a file outside the repository"]


def link_outside(records: Path, outside: Path) -> list[str]:
    (outside / "secret.yml").write_text(f"id: hostile-2016\ntitle: {SECRET}\nhost: [{SECRET}]\n")
    (records / "hostile-2016.yml").symlink_to(outside / "secret.yml")
    return ["reviews/hostile-2016.yml:1:1: (file): a symbolic link to a file outside the repository"]


def link_inside_to_pipe(records: Path, outside: Path) -> list[str]:
    os.mkfifo(records.parent / "pipe")
    (records / "hostile-2016.yml").symlink_to(records.parent / "pipe")
    return ["reviews/hostile-2016.yml:1:1: (file): a named pipe, not a record file"]


def named_pipe(records: Path, outside: Path) -> list[str]:
    os.mkfifo(records / "hostile-2016.yml")
    return ["reviews/hostile-2016.yml:1:1: (file): a named pipe, not a record file"]


def folder_named_like_record(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").mkdir()
    (records / "hostile-2016.yml" / "inside.yml").write_text("id: inside\n")
    return ["reviews/hostile-2016.yml:1:1: (file): a folder named like a record file"]


def record_in_subfolder(records: Path, outside: Path) -> list[str]:
    (records / "2016").mkdir()
    shutil.copy(next(records.glob("*-20*.yml")), records / "2016" / "hostile-2016.yml")
    (records / "context" / "old").mkdir(parents=True, exist_ok=True)
    (records / "context" / "old" / "hostile-2015.yaml").write_text("id: hostile-2015\n")
    return ["reviews/2016/hostile-2016.yml:1:1: (file): a record in a subfolder is not read",
            "reviews/context/old/hostile-2015.yaml:1:1: (file): a record in a subfolder is not read"]


def linked_folder(records: Path, outside: Path) -> list[str]:
    (outside / "more").mkdir()
    (records / "more").symlink_to(outside / "more", target_is_directory=True)
    return ["reviews/more:1:1: (file): a symbolic link to a folder: record folders are not followed"]


def extension_in_capitals(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.Yaml").write_text("id: hostile-2016\n")
    return ["reviews/hostile-2016.Yaml:1:1: (file): the extension `.Yaml` is not lowercase"]


def not_utf8(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").write_bytes(b"id: hostile-2016\ntitle: caf\xe9\n")
    return ["reviews/hostile-2016.yml:2:11: (file): not UTF-8 text (invalid continuation byte)"]


def raw_escape_byte(records: Path, outside: Path) -> list[str]:
    (records / "hostile-2016.yml").write_bytes(b"id: hostile-2016\ntitle: a\x1b[31m b\n")
    return ["reviews/hostile-2016.yml:2:9: (file): the file holds U+001B (escape)"]


RUNTIME: dict[str, Case] = {case.__name__: case for case in (
    nesting_100000, oversize, long_text, many_entries, many_values, dangling_link, link_loop, link_to_dev_zero,
    link_outside, link_inside_to_pipe, named_pipe, folder_named_like_record, record_in_subfolder, linked_folder,
    extension_in_capitals, not_utf8, raw_escape_byte)}


@pytest.fixture
def hostile_project(tmp_path: Path) -> Callable[[Case], tuple[Path, list[str]]]:
    def make(case: Case) -> tuple[Path, list[str]]:
        project = make_project(tmp_path / "project")
        outside = tmp_path / "outside"
        outside.mkdir()
        return project, case(project / "reviews", outside)
    return make


@pytest.mark.parametrize("name", RUNTIME)
def test_runtime_case_in_pra_check_and_mkdocs_build(name: str, hostile_project) -> None:
    project, expected = hostile_project(RUNTIME[name])
    for command, run in (("pra check", pra_check(project)), ("mkdocs build", mkdocs_build(project))):
        assert_clear_failure(run, expected, f"{command} {name}")
        assert SECRET not in run.output  # a linked file from outside is never read, so never echoed
    assert not (project / "site").exists()


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """An unreadable file is a clear problem. Root reads every file, so as root the refusal
    is made by `os.open` itself (the check runs in this process); otherwise for real."""
    project = make_project(tmp_path / "project")
    record = project / "reviews" / "hostile-2016.yml"
    record.write_text("id: hostile-2016\n")
    record.chmod(0)
    expected = ["reviews/hostile-2016.yml:1:1: (file): the file cannot be read (permission denied)"]
    if os.geteuid() != 0:
        assert_clear_failure(pra_check(project), expected, "pra check unreadable")
        assert_clear_failure(mkdocs_build(project), expected, "mkdocs build unreadable")
        return
    from peer_review_archive.cli import main

    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if Path(path).name == record.name:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    monkeypatch.chdir(project)
    assert main(["check", "reviews"]) == 1
    assert capsys.readouterr().out.startswith(expected[0])


# --- reserved ids, CSV ---------------------------------------------------------------------


def test_every_id_of_the_theme_and_scripts_is_reserved() -> None:
    """The ids the theme's markup has and the scripts look up: none may be a record's."""
    found = set()
    for path in [*(ROOT / "theme").rglob("*.html"), *(ROOT / "theme").rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'\bid="([a-z0-9][a-z0-9-]*)"', text))
        found |= set(re.findall(r'getElementById\("([a-z0-9][a-z0-9-]*)"\)', text))
        found |= set(re.findall(r'querySelector\("#([a-z0-9][a-z0-9-]*)"\)', text))
    assert found, "no ids found: the patterns above are out of date"
    assert {i for i in found if not reserved(i)} == set()
    assert found >= RESERVED_IDS  # no stale entry either


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_no_csv_cell_splits_into_a_formula(separator: str) -> None:
    """A spreadsheet splitting on `,`, `;` or tab never sees a piece of a cell start a formula."""
    for text in ["a;=HYPERLINK(1)", "a,=1", "x\t=1", "=1", "plain", 'say "hi"; =2']:
        line = csv_cell(spreadsheet_safe(text))
        pieces = []  # a naive split: only outside quotes, as a spreadsheet does
        quoted, current = False, ""
        for char in line:
            if char == '"':
                quoted = not quoted
            elif char == separator and not quoted:
                pieces.append(current)
                current = ""
                continue
            current += char
        pieces.append(current)
        assert not [p for p in pieces if p[:1] in ("=", "+", "-", "@")], (text, line)
