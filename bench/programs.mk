# bench programs (see bench/local.mk)
