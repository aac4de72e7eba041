"""Courts working together (SPEC §11, [004 §25–§28]): an upper court's supervision orders (督办),
transfers of a case (提级执行 / 指令执行), inter-court disputes (执行争议协调) and delegated tasks
(执行事项委托). Each is its own aggregate with its own clock; the case is touched only through the
case services' lock and lifecycle hook."""
