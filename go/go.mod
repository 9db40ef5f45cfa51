module github.com/cvz-project/cvz/go

go 1.19
