"""The parsed-model cache: a hit gives exactly what a parse gives, and nothing stale or broken is ever served."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import random_models

import igfnet.rules
from igfnet import model_cache
from igfnet.errors import RuleSyntaxError
from igfnet.model import _parse_rules_file, load_model

TOGGLE = "A = not B\nB = not A\nC = input 1\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("IGFNET_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def parses(monkeypatch):
    """How many times the rule language's parser ran."""
    calls = []
    parse_rules = igfnet.rules.parse_rules

    def counting(text, source="<rules>"):
        calls.append(source)
        return parse_rules(text, source)

    monkeypatch.setattr(igfnet.rules, "parse_rules", counting)
    return calls


def uncached(path=None):
    """The model parsed afresh, the cache off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IGFNET_CACHE_DIR", "")
        return load_model(path)


def test_the_bundled_model_from_the_cache_is_the_parsed_model(cache, parses):
    first = load_model()
    files = len(parses)
    assert files >= 1 and len(list(cache.iterdir())) == files
    second = load_model()
    assert len(parses) == files, "a hit must not parse again"
    assert second.rules == first.rules == uncached().rules
    assert second.directory == first.directory
    assert second.drugs.keys() == first.drugs.keys()


def test_an_edited_file_is_parsed_again(cache, parses, tmp_path):
    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    assert load_model(path).rules["C"].default == 1
    path.write_text(TOGGLE.replace("input 1", "input 0"))
    assert load_model(path).rules["C"].default == 0
    assert len(parses) == 2
    assert len(list(cache.iterdir())) == 1, "an edited file replaces its entry"


def test_same_text_under_another_name_is_not_taken_from_the_cache(cache, tmp_path):
    for name in ("one.rules", "two.rules"):
        (tmp_path / name).write_text(TOGGLE)
    assert load_model(tmp_path / "one.rules").rules["A"].source.endswith("one.rules:1")
    assert load_model(tmp_path / "two.rules").rules["A"].source.endswith("two.rules:1")


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"N", None])
def test_a_damaged_entry_is_a_miss_and_is_rewritten(cache, parses, tmp_path, damage):
    import marshal

    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    expected = load_model(path).rules
    (entry,) = cache.iterdir()
    # A truncated file, bytes that are not marshal data, a marshalled None, or another layout.
    entry.write_bytes(damage if damage is not None else marshal.dumps(("stamp", (("A",),), None)))
    assert load_model(path).rules == expected
    assert len(parses) == 2
    assert load_model(path).rules == expected
    assert len(parses) == 2, "the damaged entry was replaced by a good one"


def test_an_entry_from_other_parser_code_is_a_miss(cache, parses, tmp_path, monkeypatch):
    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    load_model(path)
    real_stamp = model_cache._parser_stamp()
    monkeypatch.setattr(model_cache, "_parser_stamp", lambda: (*real_stamp, ("edited.py", 1, 1)))
    load_model(path)
    assert len(parses) == 2


def test_the_stamp_covers_the_rule_language_and_every_reader():
    files = {os.path.basename(file) for file, _, _ in model_cache._parser_stamp()}
    assert {"rules.py", "logic.py", "model.py", "bnet.py", "sbml.py", "booleannet.py"} <= files


def test_an_unwritable_cache_is_ignored(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("IGFNET_CACHE_DIR", str(blocker / "cache"))
    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    assert load_model(path).rules == load_model(path).rules
    assert len(parses) == 2


def test_an_empty_cache_directory_setting_turns_the_cache_off(tmp_path, monkeypatch, parses):
    monkeypatch.setenv("IGFNET_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    load_model(path)
    load_model(path)
    assert len(parses) == 2
    assert not (tmp_path / "xdg").exists()


def test_the_default_place_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("IGFNET_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert model_cache.cache_directory() == str(tmp_path / "xdg" / "igfnet")
    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    load_model(path)
    assert len(list((tmp_path / "xdg" / "igfnet").iterdir())) == 1


def test_a_file_that_does_not_parse_is_never_cached(cache, tmp_path):
    path = tmp_path / "broken.rules"
    path.write_text("A = B and\n")
    for _ in range(2):
        with pytest.raises(RuleSyntaxError, match="broken.rules:1"):
            load_model(path)
    assert not cache.exists() or not list(cache.iterdir())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(network=random_models(max_nodes=6))
def test_every_format_reads_back_from_the_cache_as_parsed(tmp_path_factory, network):
    from igfnet.formats.booleannet import write_booleannet
    from igfnet.formats.rules_text import write_rules
    from igfnet.formats.sbml import write_sbml

    directory = tmp_path_factory.mktemp("formats")
    writers = {
        ".bnet": network.to_bnet,
        ".rules": lambda: write_rules(network),
        ".booleannet": lambda: write_booleannet(network),
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IGFNET_CACHE_DIR", str(directory / "cache"))
        for suffix, write in [*writers.items(), (".sbml", lambda: write_sbml(network))]:
            path = directory / f"model{suffix}"
            path.write_text(write())
            parsed = uncached(path)
            assert load_model(path).rules == parsed.rules  # a miss, written to the cache
            assert load_model(path).rules == parsed.rules  # a hit
        assert len(list((directory / "cache").iterdir())) == 4


def test_without_igfnets_own_files_to_stamp_the_cache_is_off(cache, parses, tmp_path, monkeypatch):
    def unlistable():
        raise NotADirectoryError("igfnet is inside a zip archive")

    monkeypatch.setattr(model_cache, "_parser_stamp", unlistable)
    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    assert load_model(path).rules == load_model(path).rules
    assert len(parses) == 2 and not cache.exists()


# -- damaged, hostile and special entries ----------------------------------------


def entry_of(payload: bytes) -> bytes:
    """An entry with a correct header and checksum around ``payload``: damage only the checksum cannot see."""
    return model_cache._MAGIC + model_cache._digest(payload) + payload


def test_every_flipped_bit_is_a_miss_never_a_wrong_model(cache, parses, tmp_path):
    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    expected = load_model(path).rules
    (entry,) = cache.iterdir()
    good = entry.read_bytes()
    # Bits spread over the header, the checksum and the payload (names, expressions, the stamp).
    for position in sorted({*range(0, 40), *range(40, len(good), max(1, len(good) // 150))}):
        damaged = bytearray(good)
        damaged[position] ^= 1 << (position % 8)
        entry.write_bytes(bytes(damaged))
        assert load_model(path).rules == expected, f"bit {position % 8} of byte {position}"
    assert len(parses) > 150, "each damaged entry was parsed again"


@pytest.mark.parametrize(
    "payload",
    [b"{\x00\x00\x00\x000", b"\xe9\x00", b"[\xff\xff\xff\x7f"],
    ids=["empty-dict", "ref-to-nothing", "huge-list"],
)
def test_a_checksummed_foreign_payload_is_a_miss(cache, parses, tmp_path, payload):
    import marshal

    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    expected = load_model(path).rules
    (entry,) = cache.iterdir()
    for foreign in (marshal.dumps({}), marshal.dumps((None, None, None)), marshal.dumps(((), ((1, 2),), None))):
        entry.write_bytes(entry_of(foreign))
        assert load_model(path).rules == expected
    entry.write_bytes(payload)  # no header: refused before marshal sees it (once 47 s and 16.8 GB)
    assert load_model(path).rules == expected


@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero", "oversized"])
def test_special_or_oversized_entries_are_a_miss_without_waiting(cache, tmp_path, monkeypatch, kind):
    import signal

    path = tmp_path / "toggle.rules"
    path.write_text(TOGGLE)
    expected = load_model(path).rules
    (entry,) = cache.iterdir()
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "link-to-dev-zero":
        entry.symlink_to("/dev/zero")
    else:
        entry.write_bytes(b"\0" * 4096)
        monkeypatch.setattr(model_cache, "MAX_ENTRY_SIZE", 1024)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail(f"reading a {kind} entry hangs"))
    signal.alarm(20)
    try:
        assert load_model(path).rules == expected
    finally:
        signal.alarm(0)
    if kind != "oversized":
        assert entry.is_file() and not entry.is_symlink(), "replaced by a good entry"


def test_the_directory_is_trimmed_least_recently_used_first(cache, tmp_path, monkeypatch):
    import time

    paths = []
    for index in range(4):
        path = tmp_path / f"model{index}.rules"
        path.write_text(TOGGLE + f"D{index} = input 1\n")
        paths.append(path)
        load_model(path)
    sizes = {entry.name: entry.stat().st_size for entry in cache.iterdir()}
    assert len(sizes) == 4
    for age, entry in enumerate(sorted(cache.iterdir(), key=lambda entry: entry.stat().st_mtime)):
        os.utime(entry, (time.time() - 1000 + age, time.time() - 1000 + age))
    # A hit makes the oldest entry the most recently used one.
    oldest = min(cache.iterdir(), key=lambda entry: entry.stat().st_mtime)
    owner = next(path for path in paths if model_cache._entry_name(_parse_rules_file, str(path)) == oldest.name)
    load_model(owner)
    stale = cache / "left-by-a-killed-writer.part"
    stale.write_bytes(b"x")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    model_cache.trim(str(cache), limit=2 * max(sizes.values()))
    kept = {entry.name for entry in cache.iterdir()}
    assert len(kept) == 2 and oldest.name in kept
    assert not stale.exists()
