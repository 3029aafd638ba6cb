/* Must not compile with the API layer's include path: the API talks to the store, never to
 * SQLite itself (tests/CMakeLists.txt, layer_api_no_sqlite). */
#include <sqlite3.h>
int omk_layer_probe(void);
int omk_layer_probe(void) { return 0; }
