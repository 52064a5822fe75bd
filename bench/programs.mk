# bench programs: each part keeps its own list
include bench/model.mk
include bench/ui.mk
include bench/target.mk
include bench/shapes.mk
include bench/bursts.mk
include bench/symbols.mk
