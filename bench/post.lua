-- The etude protocol's request, as wrk sends it to every target in the benchmarks.
wrk.method = "POST"
wrk.path = "/predictions/model/1.0/"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"instances":[{"context":[17,4,99]}],"parameters":[{"runtime":""}]}'
