module walworkshop

go 1.24

require golang.org/x/sys v0.35.0 // indirect
