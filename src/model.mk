# see src/local.mk
