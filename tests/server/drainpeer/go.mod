module sessiongate.io/tests/drainpeer

go 1.21
