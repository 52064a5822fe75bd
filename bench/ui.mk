# see bench/local.mk
