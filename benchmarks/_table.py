"""The one table printer of the benchmark scripts."""


def print_table(rows, seconds_width=10):
    """rows: (what, seconds, note); NaN seconds print as blanks."""
    width = max(len(r[0]) for r in rows)
    print(f"{'what':{width}s}  {'seconds':>{seconds_width}s}  note")
    print("-" * (width + seconds_width + 30))
    for name, sec, note in rows:
        cell = "" if sec != sec else f"{sec:{seconds_width}.4f}"
        print(f"{name:{width}s}  {cell:>{seconds_width}s}  {note}")
