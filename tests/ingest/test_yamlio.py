"""The YAML reader: every kind of bad input gives one IngestError with file and line.

Each case is a file a curator (or a damaged disk) could produce; before the hardening several
of them crashed with a traceback (ReaderError, RecursionError, ValueError).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.yamlio import MAX_DEPTH, LineDict, load_yaml_with_lines
from kg.cli import main
from kg.schema.errors import IngestError
from tests.helpers import mini_copy

CASES: dict[str, tuple[bytes, int, str]] = {
    # name: (file bytes, expected line, words of the message)
    "raw NUL": (b"a: 1\nb: x\x00y\n", 2, "U+0000 (NUL)"),
    "raw ESC": (b"a: 1\n\nc: \x1b[31mred\n", 3, "U+001B (ESC)"),
    "escaped NUL in a quoted string": (b'a: 1\nb: "x\\0y"\n', 2, "U+0000 (NUL) in a text value"),
    "escaped C1 control": (b'a: "\\x85"\n', 1, "U+0085"),
    "escaped lone surrogate": (b'a: 1\nb: "\\ud800"\n', 2, "lone surrogate U+D800"),
    "control character in a key": (b'"k\\x07": 1\n', 1, "U+0007"),
    "bad UTF-8": (b"a: 1\nb: caf\xe9\n", 2, "byte 0xe9 (column 7) is not valid UTF-8"),
    "nesting 1000 deep (flow)": (b"a: 1\nb: " + b"[" * 1000 + b"]" * 1000 + b"\n", 2,
                                 f"nesting deeper than {MAX_DEPTH} levels"),
    "nesting 1000 deep (block)": (b"a:\n" + b"".join(b"  " * i + b"- x:\n"
                                                     for i in range(1000)), 21,
                                  f"nesting deeper than {MAX_DEPTH} levels"),
    "5000-digit integer": (b"a: 1\nn: " + b"9" * 5000 + b"\n", 2, "has 5000 digits"),
    "integer beyond 64 bits": (b"n: 9223372036854775808\n", 1, "does not fit in 64 bits"),
    "infinite float": (b"x: .inf\n", 1, "is not a finite number"),
    "nan": (b"a: 1\nx: .NaN\n", 2, "is not a finite number"),
    "impossible date": (b"a: 1\nd: 2020-02-30\n", 2, "'2020-02-30' is not a valid date"),
    "alias": (b"a: &x 1\nb: *x\n", 1, "anchors (&x) are not allowed"),
    "alias bomb": (b"a: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n", 1, "anchors"),
    "unhashable key": (b"? [1, 2]\n: x\n", 1, "a list cannot be a key"),
    "duplicate key": (b"a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
    "python tag": (b"a: !!python/object:os.system x\n", 1, "could not determine a constructor"),
    "binary": (b"a: 1\nb: !!binary aGk=\n", 2, "binary values"),
    "two documents": (b"a: 1\n---\nb: 2\n", 2, "expected a single document"),
    "tab indentation": (b"a:\n\tb: 1\n", 2, "YAML error"),
    "unclosed quote": (b"a: 1\nb: 'x\n", 3, "YAML error"),
    "bad merge": (b"a: 1\nb:\n  <<: 3\n", 3, "YAML error"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_yaml_is_one_problem_with_file_and_line(tmp_path, case):
    data, line, words = CASES[case]
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        load_yaml_with_lines(path, display="x.yaml")
    [problem] = info.value.problems
    assert (problem.file, problem.line) == ("x.yaml", line), str(problem)
    assert words in problem.message


def test_a_good_file_still_reads_with_lines(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb:\n  - c: caf\xc3\xa9\n    d: 2024-08-01\n")
    doc = load_yaml_with_lines(path)
    assert isinstance(doc, LineDict) and doc["b"][0]["c"] == "café"
    assert doc.key_lines == {"a": 1, "b": 2} and doc["b"][0].line == 3
    assert str(doc["b"][0]["d"]) == "2024-08-01"


@pytest.mark.parametrize("case", ["raw NUL", "escaped NUL in a quoted string", "bad UTF-8",
                                  "nesting 1000 deep (flow)", "5000-digit integer"])
def test_cli_validate_exits_2_with_file_line(tmp_path, capsys, case):
    data, line, words = CASES[case]
    d = mini_copy(tmp_path)
    target: Path = d / "curated" / "entities.yaml"
    target.write_bytes(target.read_bytes() + b"\n" + data.replace(b"a: 1\n", b""))
    first_line = target.read_bytes().count(b"\n") - data.replace(b"a: 1\n", b"").count(b"\n")
    code = main(["validate", "--data", str(d)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "entities.yaml:" in err and words in err
    reported = int(err.split("entities.yaml:")[1].split(":")[0])
    assert reported > first_line  # the line is inside the appended text, not line 1
