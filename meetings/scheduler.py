"""The organizer's generated schedule: place wanted meetings in slots and at tables.

A greedy pass, then local improvement. Pairs of institutions come from the preferences ("must
meet" counts 3, "would like to meet" 1; both sides' marks add up), investor with project only.
The greedy pass takes must-meets first, then heavier pairs, then pairs with fewer chances (the
busier of the two institutions first), and puts each in the earliest slot where one delegate of
each side is free, under the cap, and a table is free. The improvement pass takes each pair left
out and tries every slot: when a delegate of either side is busy there, it moves that meeting
to another slot where its two delegates and a table are free, then places the pair.

Nothing here touches the database but ``problem_from_event``; ``solve`` is plain Python so
that the benchmark (bench/meetings_scheduler.py) and the tests run it on generated data.

The report states an upper bound: each institution can take at most (delegates × min(cap,
slots)) meetings, so the wanted pairs that can be placed are at most half the sum over
institutions of min(pairs wanted, that capacity), and at most the free tables of all slots —
computed for must-meets alone and for all.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    pk: int
    starts: float  # a sortable time (seconds)
    ends: float
    tables: tuple[int, ...]  # free tables in this slot


@dataclass(frozen=True)
class Pair:
    a: int  # participation keys
    b: int
    weight: int
    must: bool


@dataclass
class Problem:
    delegates: dict[int, list[int]]  # participation → its delegates taking meetings
    slots: list[Slot]
    pairs: list[Pair]
    cap: int
    busy: dict[int, set[int]] = field(default_factory=dict)  # delegate → slots already taken


@dataclass(frozen=True)
class Placed:
    pair: Pair
    slot: int
    table: int
    delegate_a: int
    delegate_b: int


@dataclass
class Result:
    placed: list[Placed]
    problem: Problem
    seconds: float
    greedy_placed: int

    def report(self) -> dict:
        pairs = self.problem.pairs
        musts = [pair for pair in pairs if pair.must]
        placed_musts = sum(1 for item in self.placed if item.pair.must)
        return {
            "pairs": len(pairs),
            "pairs_placed": len(self.placed),
            "pairs_placed_by_greedy_pass": self.greedy_placed,
            "pairs_upper_bound": upper_bound(self.problem, pairs),
            "must_meet": len(musts),
            "must_meet_placed": placed_musts,
            "must_meet_upper_bound": upper_bound(self.problem, musts),
            "weight_wanted": sum(pair.weight for pair in pairs),
            "weight_placed": sum(item.pair.weight for item in self.placed),
            "seconds": round(self.seconds, 2),
        }


def upper_bound(problem: Problem, pairs: list[Pair]) -> int:
    """At most this many of ``pairs`` can be placed (capacity of each institution)."""
    degree: dict[int, int] = defaultdict(int)
    for pair in pairs:
        degree[pair.a] += 1
        degree[pair.b] += 1
    slots = len(problem.slots)
    total = 0
    for participation, wanted in degree.items():
        capacity = sum(
            max(0, min(problem.cap, slots) - len(problem.busy.get(delegate, ())))
            for delegate in problem.delegates.get(participation, [])
        )
        total += min(wanted, capacity)
    tables = sum(len(slot.tables) for slot in problem.slots)
    return min(len(pairs), total // 2, tables)


class _State:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.slot_by_pk = {slot.pk: slot for slot in problem.slots}
        # Slots overlapping in time (other rounds): a delegate is in one of them at most.
        self.overlaps = _overlaps(problem.slots)
        self.busy: dict[int, set[int]] = defaultdict(set)
        self.count: dict[int, int] = defaultdict(int)
        for delegate, slots in problem.busy.items():
            self.busy[delegate] = set(slots)
            self.count[delegate] = len(slots)
        self.free_tables: dict[int, list[int]] = {
            slot.pk: sorted(slot.tables, reverse=True) for slot in problem.slots
        }
        self.placed: dict[Pair, Placed] = {}
        self.by_delegate_slot: dict[tuple[int, int], Placed] = {}

    def free(self, delegate: int, slot: int, *, ignore: Placed | None = None) -> bool:
        busy = self.busy[delegate]
        for other in self.overlaps[slot]:
            if other in busy:
                holder = self.by_delegate_slot.get((delegate, other))
                if ignore is None or holder is not ignore:
                    return False
        return True

    def pick(self, participation: int, slot: int, *, ignore: Placed | None = None) -> int | None:
        best = None
        for delegate in self.problem.delegates.get(participation, ()):
            if self.count[delegate] >= self.problem.cap and (
                ignore is None or delegate not in (ignore.delegate_a, ignore.delegate_b)
            ):
                continue
            if self.free(delegate, slot, ignore=ignore) and (
                best is None or self.count[delegate] < self.count[best]
            ):
                best = delegate
        return best

    def place(self, pair: Pair, slot: int, delegate_a: int, delegate_b: int) -> Placed:
        table = self.free_tables[slot].pop()
        item = Placed(pair, slot, table, delegate_a, delegate_b)
        self.placed[pair] = item
        for delegate in (delegate_a, delegate_b):
            self.busy[delegate].add(slot)
            self.count[delegate] += 1
            self.by_delegate_slot[(delegate, slot)] = item
        return item

    def remove(self, item: Placed) -> None:
        del self.placed[item.pair]
        self.free_tables[item.slot].append(item.table)
        for delegate in (item.delegate_a, item.delegate_b):
            self.busy[delegate].discard(item.slot)
            self.count[delegate] -= 1
            del self.by_delegate_slot[(delegate, item.slot)]

    def try_pair(self, pair: Pair) -> bool:
        for slot in self.problem.slots:
            if not self.free_tables[slot.pk]:
                continue
            delegate_a = self.pick(pair.a, slot.pk)
            if delegate_a is None:
                continue
            delegate_b = self.pick(pair.b, slot.pk)
            if delegate_b is None:
                continue
            self.place(pair, slot.pk, delegate_a, delegate_b)
            return True
        return False

    def relocate(self, item: Placed, *, avoid: int) -> bool:
        """Move a placed meeting to another slot where both its delegates and a table are
        free (its delegates stay the same)."""
        for slot in self.problem.slots:
            if slot.pk in (avoid, item.slot) or not self.free_tables[slot.pk]:
                continue
            if self.free(item.delegate_a, slot.pk) and self.free(item.delegate_b, slot.pk):
                self.remove(item)
                self.place(item.pair, slot.pk, item.delegate_a, item.delegate_b)
                return True
        return False

    def try_with_moves(self, pair: Pair) -> bool:
        """Place a pair in a slot after moving at most one meeting of each side away."""
        for slot in self.problem.slots:
            if not self.free_tables[slot.pk]:
                continue
            chosen = []
            for participation in (pair.a, pair.b):
                delegate = self.pick(participation, slot.pk)
                if delegate is None:
                    delegate = self._free_by_moving(participation, slot.pk)
                if delegate is None:
                    break
                chosen.append(delegate)
            if (
                len(chosen) == 2
                and self.free_tables[slot.pk]
                and self.free(chosen[0], slot.pk)
                and self.free(chosen[1], slot.pk)
            ):
                self.place(pair, slot.pk, chosen[0], chosen[1])
                return True
        return False

    def _free_by_moving(self, participation: int, slot: int) -> int | None:
        for delegate in self.problem.delegates.get(participation, ()):
            if self.count[delegate] >= self.problem.cap:
                continue
            holder = self.by_delegate_slot.get((delegate, slot))
            if holder is None or slot in self.problem.busy.get(delegate, ()):
                continue
            if self.relocate(holder, avoid=slot):
                return delegate
        return None


def _overlaps(slots: list[Slot]) -> dict[int, list[int]]:
    ordered = sorted(slots, key=lambda slot: slot.starts)
    result = {}
    for slot in ordered:
        result[slot.pk] = [
            other.pk for other in ordered if other.starts < slot.ends and other.ends > slot.starts
        ]
    return result


def solve(problem: Problem, *, improve: bool = True, budget_seconds: float = 20.0) -> Result:
    """Place as many wanted pairs as it can, must-meets first."""
    started = time.perf_counter()
    problem.slots.sort(key=lambda slot: (slot.starts, slot.pk))
    state = _State(problem)
    degree: dict[int, int] = defaultdict(int)
    for pair in problem.pairs:
        degree[pair.a] += 1
        degree[pair.b] += 1
    order = sorted(
        problem.pairs,
        key=lambda pair: (
            not pair.must,
            -pair.weight,
            -max(degree[pair.a], degree[pair.b]),
            pair.a,
            pair.b,
        ),
    )
    left = [pair for pair in order if not state.try_pair(pair)]
    greedy_placed = len(state.placed)
    if improve:
        for _round in range(3):
            before = len(left)
            still = []
            for pair in left:
                if time.perf_counter() - started > budget_seconds or not state.try_with_moves(pair):
                    still.append(pair)
            left = still
            if len(left) == before:
                break
    placed = sorted(state.placed.values(), key=lambda item: (item.slot, item.table))
    return Result(placed, problem, time.perf_counter() - started, greedy_placed)


def problem_from_event(*, event, cap: int) -> Problem:
    """Read the edition's profiles, preferences, slots, tables and held seats."""
    from registrations.models import Participation

    from .models import (
        Meeting,
        MeetingPreference,
        MeetingProfile,
        MeetingSeat,
        MeetingSlot,
    )

    profiles = {
        profile.participation_id: profile
        for profile in MeetingProfile.objects.visible()
        .filter(participation__event=event)
        .prefetch_related("delegates", "participation__delegate_list")
    }
    delegates = {
        pk: [d.pk for d in (list(p.delegates.all()) or list(p.participation.delegate_list.all()))]
        for pk, p in profiles.items()
    }
    met = set()
    for a, b in (
        Meeting.objects.holding()
        .filter(event=event)
        .values_list("requester__participation", "invitee__participation")
    ):
        met.add(frozenset((a, b)))
    weights: dict[frozenset, int] = defaultdict(int)
    musts: set[frozenset] = set()
    for source, target, level in MeetingPreference.objects.filter(
        participation__event=event,
        participation__status=Participation.Status.APPROVED,
        target__status=Participation.Status.APPROVED,
    ).values_list("participation", "target", "level"):
        if source not in profiles or target not in profiles:
            continue
        if profiles[source].side == profiles[target].side:
            continue
        key = frozenset((source, target))
        if key in met:
            continue
        weights[key] += level
        if level == MeetingPreference.Level.MUST:
            musts.add(key)
    pairs = [
        Pair(*sorted(key), weight=weight, must=key in musts) for key, weight in weights.items()
    ]
    used = defaultdict(set)
    for slot, table in (
        Meeting.objects.holding()
        .filter(event=event, table__isnull=False)
        .values_list("slot", "table")
    ):
        used[slot].add(table)
    slots = []
    for slot in MeetingSlot.objects.filter(round__event=event).prefetch_related("round__table_set"):
        tables = tuple(t.pk for t in slot.round.table_set.all() if t.pk not in used[slot.pk])
        slots.append(Slot(slot.pk, slot.starts_at.timestamp(), slot.ends_at.timestamp(), tables))
    busy = defaultdict(set)
    for delegate, slot in MeetingSeat.objects.filter(slot__round__event=event).values_list(
        "delegate", "slot"
    ):
        busy[delegate].add(slot)
    return Problem(delegates=delegates, slots=slots, pairs=pairs, cap=cap, busy=dict(busy))
