"""The scheduler on generated problems: never a double booking, must-meets first, and the
improvement pass never places fewer than the greedy one."""

import random
from collections import Counter

import pytest

from meetings.scheduler import Pair, Problem, Slot, solve


def generated(seed: int, *, participants=60, pairs=200, slots=6, tables=5, cap=4) -> Problem:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    delegates, next_delegate = {}, 1000
    for participation in range(participants):
        count = 1 + (rng.random() < 0.3)
        delegates[participation] = list(range(next_delegate, next_delegate + count))
        next_delegate += count
    investors = list(range(participants // 2))
    projects = list(range(participants // 2, participants))
    wanted = {}
    while len(wanted) < pairs:
        a, b = rng.choice(investors), rng.choice(projects)
        wanted[(a, b)] = rng.random() < 0.25
    slot_list = [
        Slot(pk=index, starts=index * 1200, ends=index * 1200 + 1200, tables=tuple(range(tables)))
        for index in range(slots)
    ]
    # A second round overlapping the first two slots in time (another sub-venue).
    slot_list.append(Slot(pk=100, starts=600, ends=1800, tables=(50, 51)))
    busy = {delegates[0][0]: {0}}  # a confirmed meeting outside the problem
    return Problem(
        delegates=delegates,
        slots=slot_list,
        pairs=[Pair(a, b, weight=3 if must else 1, must=must) for (a, b), must in wanted.items()],
        cap=cap,
        busy=busy,
    )


def check(problem: Problem, result) -> None:
    slots = {slot.pk: slot for slot in problem.slots}
    tables = Counter((item.slot, item.table) for item in result.placed)
    assert max(tables.values()) == 1, "a table twice in a slot"
    for item in result.placed:
        assert item.table in slots[item.slot].tables
        assert item.delegate_a in problem.delegates[item.pair.a]
        assert item.delegate_b in problem.delegates[item.pair.b]
    times: dict[int, list[int]] = {}
    for delegate, taken in problem.busy.items():
        times.setdefault(delegate, []).extend(taken)
    for item in result.placed:
        times.setdefault(item.delegate_a, []).append(item.slot)
        times.setdefault(item.delegate_b, []).append(item.slot)
    for delegate, taken in times.items():
        assert len(taken) - len(problem.busy.get(delegate, ())) <= problem.cap
        for index, first in enumerate(taken):
            for second in taken[index + 1 :]:
                one, two = slots[first], slots[second]
                assert not (one.starts < two.ends and two.starts < one.ends), (
                    f"delegate {delegate} in two places at once"
                )
    assert len({item.pair for item in result.placed}) == len(result.placed)


@pytest.mark.parametrize("seed", range(8))
def test_no_double_booking_and_improvement_never_loses(seed):
    greedy = solve(generated(seed), improve=False)
    improved = solve(generated(seed), improve=True)
    check(greedy.problem, greedy)
    check(improved.problem, improved)
    assert len(improved.placed) >= len(greedy.placed)
    report = improved.report()
    assert report["pairs_placed"] <= report["pairs_upper_bound"]
    assert report["must_meet_placed"] <= report["must_meet_upper_bound"]


def test_must_meets_go_first_when_tables_are_scarce():
    problem = generated(1, slots=2, tables=3)
    result = solve(problem)
    check(problem, result)
    musts = [pair for pair in problem.pairs if pair.must]
    # Eight tables in all, far more must-meets: every table goes to a must-meet.
    assert len(musts) > 8
    assert len(result.placed) == 8
    assert all(item.pair.must for item in result.placed)
