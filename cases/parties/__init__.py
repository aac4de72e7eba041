"""The parties' side of a case (SPEC §10, [004 §11], [001]): the message a party gets at every node,
the case's query code (查询码) and the public progress page that a party opens with it."""
