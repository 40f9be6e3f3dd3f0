"""Working-time arithmetic over a calendar's work intervals (the SLA clock).

``resource.calendar`` knows when people work (attendances, public holidays,
leaves, time zone); this turns its work intervals for a period into a
timeline on which adding working hours or measuring them between two instants
is a binary search instead of a fresh interval computation per record.
"""

from bisect import bisect_left, bisect_right
from datetime import timedelta

import pytz


class WorkingTimeline:
    """Work intervals of one calendar between two instants, in naive UTC."""

    def __init__(self, intervals, start, end):
        """``intervals``: sorted, non-overlapping ``(start, stop)`` pairs in naive UTC
        covering what is worked between ``start`` and ``end`` (naive UTC)."""
        self.start = start
        self.end = end
        self.starts = [a for a, _b in intervals]
        self.stops = [b for _a, b in intervals]
        self.cumulated = []  # working hours before each interval
        self.cumulated_ends = []  # working hours up to the end of each interval
        total = 0.0
        for a, b in intervals:
            self.cumulated.append(total)
            total += (b - a).total_seconds() / 3600.0
            self.cumulated_ends.append(total)
        self.total = total

    @classmethod
    def from_calendar(cls, calendar, start, end):
        """Timeline of ``calendar`` (a ``resource.calendar``, leaves and public
        holidays included) between naive UTC datetimes ``start`` and ``end``."""
        aware_start = pytz.utc.localize(start)
        aware_end = pytz.utc.localize(end)
        intervals = calendar._work_intervals_batch(aware_start, aware_end)[False]
        utc = [
            (
                a.astimezone(pytz.utc).replace(tzinfo=None),
                b.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for a, b, _meta in intervals
        ]
        return cls(sorted(utc), start, end)

    def covers(self, moment):
        return self.start <= moment <= self.end

    def position(self, moment):
        """Working hours from the timeline's start to ``moment``."""
        index = bisect_right(self.starts, moment) - 1
        if index < 0:
            return 0.0
        inside = min(moment, self.stops[index]) - self.starts[index]
        return self.cumulated[index] + max(inside.total_seconds(), 0.0) / 3600.0

    def hours_between(self, begin, finish):
        """Working hours between two instants (0 when ``finish`` is before ``begin``)."""
        return max(self.position(finish) - self.position(begin), 0.0)

    def add_hours(self, moment, hours):
        """The instant ``hours`` working hours after ``moment``, or None when it
        falls beyond the timeline (the caller then widens it)."""
        target = self.position(moment) + hours
        if target > self.total or not self.starts:
            return None
        index = bisect_left(self.cumulated_ends, target)
        return self.starts[index] + timedelta(hours=target - self.cumulated[index])
