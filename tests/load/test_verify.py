"""The load run's checks catch what they are there to catch (no servers: the data is made up).

The short runs pass only if these checks find nothing, so each check is shown here finding the
thing it looks for, and accepting what is allowed (an unknown outcome either way).
"""

from __future__ import annotations

from bench.loadtest.ledger import (
    FAILURE,
    NO_ANSWER,
    REFUSED,
    SUCCESS,
    UNKNOWN,
    ClientFacts,
    Ledger,
    TokenFacts,
    digest,
)
from bench.loadtest.verify import (
    Findings,
    SandboxClient,
    check_audit,
    check_clients,
    check_tokens,
)

ME = "load-agent-05@sandbox.test"


def held(*clients: SandboxClient) -> dict[int, SandboxClient]:
    return {client.id: client for client in clients}


def test_an_outcome_recorded_otherwise_than_the_person_was_told_is_found() -> None:
    ledger = Ledger()
    ledger.act(ME, "client.secret_regenerate", 7, UNKNOWN)
    ledger.act(ME, "client.delete", 8, SUCCESS)
    ledger.act(ME, "client.delete", 9, REFUSED)
    found = Findings()

    check_audit(
        ledger,
        [
            (ME, "client.secret_regenerate", "7", "Generated 7", "failure"),
            (ME, "client.delete", "8", "Generated 8", "success"),
            (ME, "client.delete", "9", "Generated 9", "denied"),
        ],
        found,
    )

    assert found.problems == [
        f"audit: {ME} client.secret_regenerate 7: the person was told ['unknown'], "
        "the log holds ['failure']"
    ]


def test_a_change_that_got_no_answer_at_all_takes_one_record_or_none() -> None:
    ledger = Ledger()
    ledger.act(ME, "client.delete", 8, NO_ANSWER)
    ledger.act(ME, "client.delete", 9, NO_ANSWER)
    found = Findings()

    check_audit(ledger, [(ME, "client.delete", "8", "Generated 8", "success")], found)
    assert found.problems == []

    check_audit(ledger, [(ME, "client.delete", "8", "G", "success")] * 2, found)
    assert len(found.problems) == 1


def test_a_missing_and_a_second_record_are_found() -> None:
    ledger = Ledger()
    ledger.act(ME, "client.create", "load p05 c1", SUCCESS)
    ledger.act(ME, "token.revoke", 40, SUCCESS)
    found = Findings()

    check_audit(
        ledger,
        [
            (ME, "client.create", "501", "load p05 c1", "success"),
            (ME, "client.create", "501", "load p05 c1", "success"),
        ],
        found,
    )

    assert len(found.problems) == 2
    assert "told ['success'], the log holds ['success', 'success']" in found.problems[0]
    assert (
        "token.revoke 40: the person was told ['success'], the log holds nothing"
        in (found.problems[1])
    )


def test_a_create_told_failed_that_chat_made_is_found() -> None:
    ledger = Ledger()
    ledger.creation(ME, "load p05 c1", FAILURE, None)
    found = Findings()

    check_clients(ledger, held(SandboxClient(501, "load p05 c1", "Person 05", "d")), found)

    assert found.problems == [
        "create 'load p05 c1' was told it failed, yet Chat holds 1 such client",
        "client 501 ('load p05 c1'): nobody created it",
    ]


def test_an_unknown_create_may_be_there_once_but_not_twice() -> None:
    ledger = Ledger()
    ledger.creation(ME, "load p05 c1", UNKNOWN, None)
    ledger.creation(ME, "load p05 c2", UNKNOWN, None)
    once = Findings()
    check_clients(ledger, held(SandboxClient(501, "load p05 c1", "P", "d")), once)
    assert once.problems == []
    assert once.unknown_done["client.create"] == 1 and once.unknown_not_done["client.create"] == 1

    twice = Findings()
    check_clients(
        ledger,
        held(
            SandboxClient(501, "load p05 c1", "P", "d"),
            SandboxClient(502, "load p05 c1", "P", "e"),
        ),
        twice,
    )
    assert "create 'load p05 c1': 2 such clients (duplicates)" in twice.problems


def test_a_secret_replaced_while_the_person_was_told_it_failed_is_found() -> None:
    ledger = Ledger()
    ledger.client_add(ClientFacts(7, "Generated 7", "Bulk", {digest("old")}, retired=True))
    found = Findings()

    check_clients(ledger, held(SandboxClient(7, "Generated 7", "Bulk", digest("new"))), found)

    assert found.problems == [
        "client 7 (Generated 7): its secret is not the one last shown "
        "(a regenerate was done while the person was told otherwise?)"
    ]


def test_a_client_told_deleted_that_is_still_there_is_found() -> None:
    ledger = Ledger()
    ledger.client_add(ClientFacts(7, "Generated 7", "Bulk", {digest("s")}))
    ledger.deleted(7, SUCCESS)
    found = Findings()

    check_clients(ledger, held(SandboxClient(7, "Generated 7", "Bulk", digest("s"))), found)

    assert found.problems == ["client 7 (Generated 7) should be deleted, is not"]


def test_a_list_view_after_a_delete_that_still_shows_the_client_is_found() -> None:
    ledger = Ledger()
    ledger.client_add(ClientFacts(7, "Generated 7", "Bulk", None))
    ledger.list_view(ME, "list", ledger.now(), {7, 8})  # before the delete: fine
    ledger.deleted(7, SUCCESS)
    ledger.list_view(ME, "list", ledger.now() + 0.001, {7, 8})

    assert len(ledger.stale_views) == 1 and "showed client 7" in ledger.stale_views[0]


def test_a_token_told_revoked_that_still_works_is_found() -> None:
    ledger = Ledger()
    ledger.tokens = {
        1: TokenFacts(1, ME, revoked=True),
        2: TokenFacts(2, ME, revoked=False),
        3: TokenFacts(3, ME, revoked=None),
    }
    found = Findings()

    check_tokens(ledger, {1: False, 2: False, 3: True}, found)

    assert found.problems == [f"token 1 of {ME}: revoked, yet active"]
    assert found.unknown_done["token.revoke"] == 1
