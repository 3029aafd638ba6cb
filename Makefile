# Omnikanaal — the two commands of the README, plus developer targets.
#   make demo    build, load the demo municipality and demo accounts, print URLs + API token, serve
#                (with fictional BRP, Zaken and KvK: serve --demo-bronnen)
#   make check   every test (unit, API, conformance) under ASan/UBSan, via CTest
#   make check-pg  the Klantinteracties API tests and the corpus on PostgreSQL (issue 20; not
#                  part of make check until the backend is complete)
BUILD       ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD  ?= build-fuzz
DB          ?= omnikanaal.db
LISTEN      ?= 127.0.0.1:8080
JOBS        ?= 2
FUZZ_SECONDS ?= 60
DEMO_PASSWORD ?= voorbeeldstad

.PHONY: all bootstrap web build demo screenshots check check-pg fuzz bench bench-history checksrc clean

all: build

bootstrap:
	@./scripts/bootstrap

# Writes the shared page frame (head, header, footer) around every web/*.html page.
web: bootstrap
	@node scripts/webframe.mjs

build: bootstrap web
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@./$(BUILD)/omnikanaal demo --db $(DB)
	@for a in kcm:Sanne backoffice:Ahmed redacteur:Lotte manager:Peter beheerder:Femke; do \
	   r=$${a%%:*}; v=$${a#*:}; \
	   echo "$(DEMO_PASSWORD)" | ./$(BUILD)/omnikanaal user create --username $$r --role $$r --voornaam $$v --db $(DB) 2>/dev/null || \
	   ./$(BUILD)/omnikanaal user voornaam --username $$r --voornaam $$v --db $(DB) 2>/dev/null || true; \
	 done
	@TOKEN=$$(./$(BUILD)/omnikanaal token create --name demo --db $(DB)) && \
	 BSN=$$(sqlite3 $(DB) "SELECT object_id FROM partij_identificatoren WHERE code_soort_object_id = 'bsn' ORDER BY id LIMIT 1") && \
	 echo "" && \
	 echo "Omnikanaal serves the demo municipality (Gemeente Voorbeeldstad) at http://$(LISTEN)" && \
	 echo "  Web UI: http://$(LISTEN)/  log in as kcm, backoffice, redacteur, manager or beheerder, password $(DEMO_PASSWORD)" && \
	 echo "          (beheerder also needs an authenticator app: the first log-in shows its secret once)" && \
	 echo "          Mijn Voorbeeldstad: http://$(LISTEN)/mijn (development login, e.g. BSN $$BSN)" && \
	 echo "  Bronnen: BRP, Zaken and KvK are FICTIONAL demo systems (--demo-bronnen), never real data" && \
	 echo "  API:   http://$(LISTEN)/klantinteracties/api/v1/klantcontacten" && \
	 echo "  Spec:  http://$(LISTEN)/klantinteracties/api/v1/openapi.json" && \
	 echo "  Token: $$TOKEN" && \
	 echo "  Try:   curl -H 'Authorization: Token $$TOKEN' http://$(LISTEN)/klantinteracties/api/v1/partijen?pageSize=2" && \
	 echo "Stop with Ctrl-C." && echo "" && \
	 exec ./$(BUILD)/omnikanaal serve --db $(DB) --listen $(LISTEN) --web web --dev-login --demo-bronnen

# Updates the README's screenshots (docs/screenshots) from a run of the browser tests.
screenshots: build
	@cd tests && OMNIKANAAL_BIN=../$(BUILD)/omnikanaal OMK_SCREENSHOTS=../docs/screenshots \
	 node --test --test-concurrency=1 e2e/flow-muis.test.mjs e2e/werkplek-klantbeeld.test.mjs \
	 e2e/werkplek-scherm.test.mjs

# The PostgreSQL backend (issue 20): the Klantinteracties API tests and the Logboek's against a
# throwaway cluster (tests/api/lib/pg-run.mjs), the backend's own tests (tests/pg/: a restart of
# the database server, kill -9, 501 for what is missing), then the corpus's Klantinteracties
# part compared byte for byte between SQLite and PostgreSQL (scripts/corpus.mjs compare-db).
check-pg: build
	@cd tests && OMNIKANAAL_BIN=../$(BUILD)/omnikanaal node api/lib/pg-run.mjs api/klantinteracties/ \
	   api/engine/logboek.test.mjs
	@cd tests && OMNIKANAAL_BIN=../$(BUILD)/omnikanaal node --test pg/
	@node scripts/corpus.mjs compare-db $(BUILD)/omnikanaal

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
