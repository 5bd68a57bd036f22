module sessiongate.io/bench/abusepeer

go 1.21
