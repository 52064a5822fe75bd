# fuzz/: libFuzzer harnesses and the mutation test
