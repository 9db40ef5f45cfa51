module github.com/cvz-project/cvz/examples/go

go 1.19

require github.com/cvz-project/cvz/go v0.0.0

replace github.com/cvz-project/cvz/go => ../../go
