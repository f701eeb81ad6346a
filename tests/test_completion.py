"""Shell completion: route names after `compare`, factor keys after --factor, both read
from the data file; --show-completion / --install-completion."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from conftest import FIXTURES, MINI, ROOT, SHIPPED, invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from typer._completion_classes import BashComplete

from ketacompare import completion
from ketacompare.cli import app
from ketacompare.render import Format
from ketacompare.syntax import ID_PATTERN, is_id

TRICKY = FIXTURES / "tricky.yaml"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_KETACOMPARE", "COMP_"))}
    env["KETACOMPARE_DATA"] = str(MINI)
    env["PYTHONPATH"] = str(ROOT)
    return env | extra


def complete_here(line: str) -> list[str]:
    """complete(), answered in this process by the fast path (as the entry point does)."""
    import io

    words = line.split(" ")
    environ = _env(
        _KETACOMPARE_COMPLETE="complete_bash", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1)
    )
    out = io.StringIO()
    assert completion.answer(environ, out) == 0
    return [word for word in out.getvalue().splitlines() if word]


def complete(line: str, **env: str) -> list[str]:
    """What bash asks for when TAB is pressed at the end of `line` (a real process)."""
    words = line.split(" ")
    done = subprocess.run(
        [sys.executable, "-m", "ketacompare"],
        cwd=ROOT,
        env=_env(
            _KETACOMPARE_COMPLETE="complete_bash",
            COMP_WORDS=line,
            COMP_CWORD=str(len(words) - 1),
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [word for word in done.stdout.splitlines() if word]  # typer prints "" for none


@pytest.mark.parametrize(
    ("line", "suggestions"),
    [
        ("ketacompare compare ", ["iv", "intravenous", "infusion", "im", "injection"]),
        ("ketacompare compare i", ["iv", "intravenous", "infusion", "im", "injection"]),
        ("ketacompare compare IV ", ["im", "injection"]),
        ("ketacompare compare iv ", ["im", "injection"]),  # iv is taken, by any name
        ("ketacompare compare Infusion i", ["im", "injection"]),
        ("ketacompare compare iv im ", []),
        ("ketacompare routes --factor ", ["onset", "convenience", "bioavailability"]),
        ("ketacompare routes -f b", ["bioavailability"]),
        ("ketacompare compare iv im --factor c", ["convenience"]),
        ("ketacompare routes --factor onset,", ["onset,convenience", "onset,bioavailability"]),
        ("ketacompare routes -f onset -f ", ["convenience", "bioavailability"]),
        ("ketacompare routes -f speed,b", ["speed,bioavailability"]),
        ("ketacompare routes -f SPEED -f ", ["convenience", "bioavailability"]),  # an alias
        ("ketacompare kap-vs-talk --factor ", ["methodology"]),
    ],
)
def test_bash_completion_suggestions(line: str, suggestions: list[str]) -> None:
    assert complete_here(line) == suggestions


def test_completion_reads_the_data_option_on_the_line() -> None:
    line = f"ketacompare compare --data {TRICKY} n"
    assert complete(line) == ["nasal"]
    assert complete(f"ketacompare routes --data {TRICKY} --factor m") == ["markup"]
    # Hidden routes can still be named, so they complete.
    assert complete(f"ketacompare compare --data {TRICKY} s") == ["secret"]


def test_completion_with_a_broken_data_file_is_silent(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: [\n", encoding="utf-8")
    assert complete("ketacompare compare i", KETACOMPARE_DATA=str(bad)) == []
    assert complete("ketacompare routes --factor ", KETACOMPARE_DATA=str(tmp_path / "gone")) == []


def test_command_names_complete() -> None:
    assert complete("ketacompare ko") == []
    assert complete("ketacompare k") == ["kap-vs-talk"]
    assert complete("ketacompare routes --format m") == ["markdown"]


def test_completion_in_process_zsh() -> None:
    """The same completion through main(argv, env), in zsh's protocol."""
    result = invoke(
        env={
            "_KETACOMPARE_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "ketacompare compare in",
            "KETACOMPARE_DATA": str(MINI),
        },
    )
    assert result.exit_code == 0
    assert result.stdout == '_arguments \'*: :(("intravenous"\n"infusion"\n"injection"))\'\n'


def test_show_completion_prints_a_script() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ketacompare", "--show-completion", "bash"],
        cwd=ROOT,
        # Take the shell from the argument, not from whichever process started pytest.
        env=_env(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "_KETACOMPARE_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _ketacompare_completion ketacompare" in done.stdout


@pytest.fixture
def on_path(tmp_path: Path) -> dict[str, str]:
    """A `ketacompare` command on PATH that runs this checkout, as an install would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "ketacompare"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ketacompare "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    # --install-completion bash: the shell from the argument, not from pytest's parent.
    return _env(PATH=path, HOME=str(home), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_and_tab_in_real_bash(on_path: dict[str, str]) -> None:
    done = subprocess.run(
        ["ketacompare", "--install-completion", "bash"],
        env=on_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    home = Path(on_path["HOME"])
    installed = home / ".bash_completions" / "ketacompare.sh"
    assert f"source '{installed}'" in (home / ".bashrc").read_text(encoding="utf-8")
    # Load the installed script in bash and press TAB after `compare iv i`.
    tab = (
        f"source '{installed}'; COMP_WORDS=(ketacompare compare iv i); COMP_CWORD=3; "
        '_ketacompare_completion ketacompare; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", tab], env=on_path, capture_output=True, text=True, timeout=60
    )
    assert done.stderr == ""
    assert done.stdout.splitlines() == ["im", "injection"]


# The fast path (no Typer) against the Typer path -------------------------------------

COMMAND = typer.main.get_command(app)  # built once for this module


def typer_path(words: list[str], incomplete: str) -> list[str]:
    """What Typer's own bash completion offers (the app's callbacks, Click's parsing)."""
    request = BashComplete(COMMAND, {}, "ketacompare", completion.COMPLETE_VAR)
    return [item.value for item in request.get_completions(words, incomplete)]


def fast_path(words: list[str], incomplete: str) -> list[str] | None:
    found = completion.resolve(list(words), incomplete, bash=True)
    if found is None:
        return None
    kind, command, word, given, data = found
    if kind == "commands":
        return [c for c in completion.COMMANDS if c.startswith(word)]
    if kind == "nothing":
        return []
    return completion.candidates(kind, command, data, given, word, os.environ)


def requests(full: bool) -> list[tuple[list[str], str]]:
    """Every command and every option or argument that completes, with the words already
    typed in several shapes: empty, a prefix, in capitals, after a comma, repeated, with
    --data on the line, as --opt=value. `full`: more prefixes and data files (slow)."""
    out: list[tuple[list[str], str]] = [([], ""), ([], "k"), ([], "c"), ([], "zz")]
    prefixes = ["", "I", "onset,c"]
    files = [["--data", str(FIXTURES / "tricky.yaml")]]
    if full:
        prefixes += ["n", "i", "o", "onset,", "speed,b", "no-", "m", "x", "ka"]
        files += [[], ["--data", str(SHIPPED)]]
    for command, (values, _flags, argument) in completion.COMMANDS.items():
        for data in files:
            for option, (_param, kind) in values.items():
                if kind is None:
                    continue
                for prefix in prefixes:
                    out.append(([command, *data, option], prefix))
                    out.append(([command, option, "onset", *data, option], prefix))
                    out.append(([command, *data], f"{option}={prefix}"))
            if argument is not None and argument[0] is not None:
                for prefix in prefixes:
                    out.append(([command, *data], prefix))
                    out.append(([command, "iv", *data], prefix))
                    out.append(([command, *data, "--format", "json", "kap"], prefix))
            out.append(([command, "iv", "im", *data], ""))
    return out


@pytest.mark.parametrize("full", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_the_fast_path_offers_what_typer_offers(full: bool) -> None:
    """Over every command and every option that completes: the same words, in order."""
    answered = 0
    for words, incomplete in requests(full):
        fast = fast_path(words, incomplete)
        if fast is None:
            continue  # left to the Typer path, which then answers itself
        answered += 1
        assert fast == typer_path(words, incomplete), (words, incomplete)
    assert answered > 250  # the comparison is not vacuous


@pytest.mark.parametrize(
    ("words", "incomplete"),
    [
        (["compare"], ""),
        (["routes", "--factor"], "o"),
        (["choose", "-p"], ""),
        (["choose", "--need", "rapid-relief", "-n"], ""),
        (["sources", "-r"], "s"),
        (["timeline", "-F", "json"], ""),
        (["show", "--format"], "M"),
        (["therapies", "--factor=on"], ""),
        ([], "ka"),
    ],
)
def test_the_fast_path_answers_the_everyday_requests(words: list[str], incomplete: str) -> None:
    assert fast_path(words, incomplete) is not None


@pytest.mark.parametrize(
    ("words", "incomplete"),
    [
        (["routes"], "--fo"),  # option names
        (["routes", "--data"], ""),  # a path
        (["compare", "-fonset"], ""),  # a glued value
        (["routes", "--"], ""),
        (["nosuch"], ""),
        (["--version"], ""),
    ],
)
def test_the_fast_path_leaves_the_rest_to_typer(words: list[str], incomplete: str) -> None:
    assert fast_path(words, incomplete) is None


def test_the_command_table_matches_the_click_commands() -> None:
    """completion.COMMANDS mirrors cli.py: every option, flag and argument of every command."""
    ctx = COMMAND.make_context("ketacompare", ["routes"], resilient_parsing=True)
    assert list(COMMAND.list_commands(ctx)) == list(completion.COMMANDS)
    for name, (values, flags, argument) in completion.COMMANDS.items():
        command = COMMAND.get_command(ctx, name)
        assert command is not None
        takes_value: dict[str, str] = {}
        flag_names: set[str] = set()
        arguments = []
        for param in command.get_params(ctx):
            names = [*param.opts, *param.secondary_opts]
            if param.param_type_name == "argument":
                arguments.append((param.name, param.nargs, param._custom_shell_complete))
            elif getattr(param, "is_flag", False):
                flag_names.update(names)
            else:
                takes_value.update(dict.fromkeys(names, param.name))
        assert {n: p for n, (p, _k) in values.items()} == takes_value, name
        assert flags == flag_names, name
        if argument is None:
            assert arguments == [], name
        else:
            assert [(a[0], a[1]) for a in arguments] == [argument[1:]], name
            # Completed by a callback exactly when the table gives a candidate kind.
            assert (arguments[0][2] is not None) == (argument[0] is not None), name


def test_formats_are_the_format_choices() -> None:
    assert tuple(f.value for f in Format) == completion.FORMATS


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ09_.-é$ \t\n;`()|"), max_size=6))
def test_is_id_is_the_id_pattern(word: str) -> None:
    import re

    assert is_id(word) == bool(re.fullmatch(ID_PATTERN.strip("^$"), word))


# The names cache -----------------------------------------------------------------------


def cached_files() -> list[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"], "ketacompare").glob("names-*.txt"))


def test_a_full_load_writes_the_names_and_completion_reads_them(tmp_path: Path) -> None:
    from ketacompare import loader

    data = tmp_path / "routes.yaml"
    data.write_bytes(MINI.read_bytes())
    loader.load(data)
    cache = completion._cache_file(str(data), os.environ)
    assert cache is not None and Path(cache).is_file()
    # A changed file is read again: the key is its path, size, mtime and inode.
    data.write_text(MINI.read_text(encoding="utf-8").replace("infusion", "drip"), "utf-8")
    assert completion.candidates("subjects:routes", "compare", data, [], "", os.environ) == [
        "iv",
        "intravenous",
        "drip",
        "im",
        "injection",
    ]
    assert "drip" in Path(cache).read_text(encoding="utf-8")


def test_a_tampered_cache_offers_no_word_a_shell_could_run(tmp_path: Path) -> None:
    data = tmp_path / "routes.yaml"
    data.write_bytes(MINI.read_bytes())
    assert completion.names_for(data, os.environ) is not None
    cache = Path(completion._cache_file(str(data), os.environ) or "")
    text = cache.read_text(encoding="utf-8").replace("\tinfusion", "\t$(touch x)")
    cache.write_text(text, encoding="utf-8")
    # The bad line makes the cache a miss: the file is read again, and the cache rewritten.
    words = completion.candidates("subjects:routes", "compare", data, [], "", os.environ)
    assert words == ["iv", "intravenous", "infusion", "im", "injection"]
    assert "$(" not in cache.read_text(encoding="utf-8")


def test_a_bad_file_is_remembered_as_bad_and_offers_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nsources: {}\n", encoding="utf-8")
    assert completion.names_for(bad, os.environ) is None
    cache = Path(completion._cache_file(str(bad), os.environ) or "")
    assert cache.read_text(encoding="utf-8").splitlines()[2] == "bad"
    assert complete("ketacompare compare ", KETACOMPARE_DATA=str(bad)) == []


def test_zsh_and_fish_answers_match_the_typer_path() -> None:
    """The fast path prints each shell's format exactly as Typer's classes do."""
    cases = [
        {"_KETACOMPARE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "ketacompare compare i"},
        {"_KETACOMPARE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "ketacompare compare zz"},
        {
            "_KETACOMPARE_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": "ketacompare routes -f ",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
        {
            "_KETACOMPARE_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": "ketacompare routes -f zz",
            "_TYPER_COMPLETE_FISH_ACTION": "is-args",
        },
    ]
    for extra in cases:
        answers = []
        fast, typer_only = "ketacompare.entry import main", "ketacompare.cli import run as main"
        for code in (f"from {fast}", f"from {typer_only}"):
            done = subprocess.run(
                [sys.executable, "-c", f"{code}; raise SystemExit(main())"],
                cwd=ROOT,
                env=_env(**extra),
                capture_output=True,
                text=True,
                timeout=60,
            )
            answers.append((done.returncode, done.stdout, done.stderr))
        assert answers[0] == answers[1], extra
