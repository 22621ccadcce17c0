"""Progress of a run: a tqdm bar per scenario when tqdm is installed, else a line every 10 %
of the simulated time on stderr; or the caller's own callable(what, t_s, duration_s)."""
import sys

try:
    from tqdm.auto import tqdm
except ImportError:  # tqdm is optional (Debian python3-tqdm)
    tqdm = None


class _Bars:
    def __init__(self):
        self.what, self.bar, self.logged = None, None, -1

    def __call__(self, what, t_s, duration_s):
        if what != self.what:
            self.close()
            self.what = what
            if tqdm is not None:
                self.bar = tqdm(total=round(duration_s / 3600.0, 6), desc=what, unit="h simulated",
                                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.3g}/{total:.3g} h [{elapsed}<{remaining}]")
        if self.bar is not None:
            self.bar.n = round(min(t_s, duration_s) / 3600.0, 6)
            self.bar.refresh()
        else:
            tenth = int(10 * t_s / duration_s) if duration_s > 0 else 10
            if tenth > self.logged:
                self.logged = tenth
                print(f"[{what}] t = {t_s / 3600.0:.3g} h of {duration_s / 3600.0:.3g} h", file=sys.stderr)

    def close(self):
        if self.bar is not None:
            self.bar.close()
        self.bar = None


class Reporter:
    """progress=True: bars or lines; False/None: nothing; a callable: called as is."""

    def __init__(self, progress):
        self.bars = None
        if progress is True:
            self.bars = _Bars()
            self.callback = self.bars
        elif progress in (False, None):
            self.callback = None
        elif callable(progress):
            self.callback = progress
        else:
            raise TypeError(f"progress={progress!r}: give True, False or a callable(what, t_s, duration_s)")

    def __enter__(self):
        return self.callback

    def __exit__(self, *exc):
        if self.bars is not None:
            self.bars.close()
        return False
