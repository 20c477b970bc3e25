"""The node's moderation service, by topic (docs/moderation.md).

- `desk.py`: moderators' logins, the queue they see, the pictures they look at;
- `queue.py`: a ticket as the queue shows it, published to every node's moderators;
- `reports.py`: reports from people (and the trusted flaggers' lane);
- `flags.py`: tickets the server opens itself (automatic moderation, person signals);
- `actions.py`: the `mod` command's actions; `measures.py`: deletions, locks, slow mode;
- `decisions.py`: statements of reasons, the audit log, art. 23's escalation;
- `tickets.py`: a decided ticket closed; `appeals.py`: appeals and their decisions.

Every decision about a person writes an audit entry (hash-chained, in the store) and sends the
person a statement of reasons; every report is a ticket in the store whose evidence (the
message and the conversation around it) is copied in, so deleting the message or purging old
messages does not lose it. Actions on a person are carried out by the node that hosts their
session (an order on the session's channel, node/orders.py).
"""
