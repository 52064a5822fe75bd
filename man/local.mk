# man/: flametop(1), flametop(3) (runtime API and settings),
# flametop-shm(5) (the shared-memory format), flametop-ftr(5) (recordings)
dist_man_MANS += man/flametop.1 man/flametop.3 man/flametop-shm.5 man/flametop-ftr.5
