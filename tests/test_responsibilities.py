"""The permission test generated from the responsibilities table (cso.accounts.responsibilities).

For every action, every role × level and every subject the action's probe places inside and outside each row's
reach, the action is tried through the HTTP layer: it is done exactly where ``can`` — the table — allows it;
everywhere else the answer is a 403 or a 404 and nothing changed. Each row of the table must meet an object inside
its reach and one outside it; an action without a probe fails.
"""

import pytest
from django.db import transaction

from cso.accounts import probes
from cso.accounts import responsibilities as r
from cso.accounts.tests.world import World

probes.autodiscover()


@pytest.fixture
def world(cast):
    return World(cast)


def test_every_action_of_the_table_has_an_http_probe():
    missing = sorted(set(r.ACTIONS) - set(probes.PROBES))
    assert not missing, f"actions without a probe: {missing}"


def test_every_row_names_a_known_action_role_level_and_reach():
    allowed = set(r.roles_and_levels())
    for duty in r.TABLE:
        assert duty.action in r.ACTIONS
        assert duty.reach in r.REACHES
        assert duty.track in (None, *r.TRACKS)
        assert duty.note, duty
        for level in duty.levels:
            assert (duty.role, level) in allowed, duty


def _hits(account, duty, facts) -> bool:
    return (duty.track is None or duty.track == facts.track) and r.reaches(account, duty.reach, facts)


@pytest.mark.parametrize("action", sorted(r.ACTIONS))
def test_each_answer_over_http_is_exactly_what_the_table_says(action, world, client):
    probe = probes.PROBES.get(action)
    if probe is None:
        pytest.fail(f"{action} has no probe")
    has_object = bool(r.ACTIONS[action].model)
    uncovered = []
    for (role, level), account in world.accounts.items():
        rows = r.duties_for(account, action)
        inside = dict.fromkeys(range(len(rows)), False)
        outside = dict(inside)
        for subject in probe.subjects:
            sid = transaction.savepoint()
            try:
                obj = probe.build(world, subject, account)
                expected = r.can(account, action, obj)
                if obj is not None:
                    facts = r.facts_of(obj)
                    for i, duty in enumerate(rows):
                        if _hits(account, duty, facts):
                            inside[i] = True
                        else:
                            outside[i] = True
                client.force_login(account)
                try:
                    done = probe.attempt(client, obj)
                except AssertionError as exc:
                    raise AssertionError(f"{action} as {role}@{level} on {subject}: {exc}") from exc
                assert done == expected, (
                    f"{action} as {role}@{level} on {subject}: {'done' if done else 'refused'}, "
                    f"the table says {'allowed' if expected else 'forbidden'}")
            finally:
                transaction.savepoint_rollback(sid)
        if has_object:
            uncovered += [f"{rows[i]} (inside)" for i, hit in inside.items() if not hit]
            uncovered += [f"{rows[i]} (outside)" for i, hit in outside.items() if not hit]
    assert not uncovered, "rows never met an object inside / outside their reach:\n" + "\n".join(uncovered)
