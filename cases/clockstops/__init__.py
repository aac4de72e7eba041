"""Clock stops of the case limit (SPEC §4, [SPC2006 §13]): service by public notice (公告送达),
requests for instructions to a higher court (请示) and inter-court dispute coordination (执行争议协调)
are not counted in CASE_LIMIT. Each is a recorded stop with its reason, the bureau head's approval
and its start and end; on its end CASE_LIMIT moves by the stopped time."""
