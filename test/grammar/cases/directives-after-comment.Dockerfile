# a comment first ends the directive block
# syntax=docker/dockerfile:1
FROM scratch
