# Omnikanaal — the two commands of the README, plus developer targets.
#   make demo    build, load the demo municipality, print URL + API token, serve
#   make check   every test (unit, API, conformance) under ASan/UBSan, via CTest
BUILD       ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD  ?= build-fuzz
DB          ?= omnikanaal.db
LISTEN      ?= 127.0.0.1:8080
JOBS        ?= 2
FUZZ_SECONDS ?= 60

.PHONY: all bootstrap build demo check fuzz bench bench-history checksrc clean

all: build

bootstrap:
	@./scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@./$(BUILD)/omnikanaal demo --db $(DB)
	@TOKEN=$$(./$(BUILD)/omnikanaal token create --name demo --db $(DB)) && \
	 echo "" && \
	 echo "Omnikanaal serves the demo municipality (Gemeente Voorbeeldstad) at http://$(LISTEN)" && \
	 echo "  API:   http://$(LISTEN)/klantinteracties/api/v1/klantcontacten" && \
	 echo "  Spec:  http://$(LISTEN)/klantinteracties/api/v1/openapi.json" && \
	 echo "  Token: $$TOKEN" && \
	 echo "  Try:   curl -H 'Authorization: Token $$TOKEN' http://$(LISTEN)/klantinteracties/api/v1/partijen?pageSize=2" && \
	 echo "Stop with Ctrl-C." && echo "" && \
	 exec ./$(BUILD)/omnikanaal serve --db $(DB) --listen $(LISTEN)

check: bootstrap checksrc
	@cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug -DOMK_SANITIZE=ON >/dev/null
	@cmake --build $(CHECK_BUILD) -j$(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 ctest --test-dir $(CHECK_BUILD) --output-on-failure

checksrc:
	@./scripts/checksrc

fuzz: bootstrap
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DOMK_FUZZ=ON -DOMK_SANITIZE=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_json_body fuzz_query fuzz_search_query fuzz_mail_ingest fuzz_source_answers
	@for f in fuzz_json_body fuzz_query fuzz_search_query fuzz_mail_ingest fuzz_source_answers; do \
	   mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
	   ./$(FUZZ_BUILD)/tests/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) $(FUZZ_BUILD)/corpus/$$f tests/fuzz/corpus/$$f || exit 1; \
	 done

bench: build
	@./bench/run

bench-history: build
	@./bench/history/run

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD)
