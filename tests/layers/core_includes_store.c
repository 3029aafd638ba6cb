/* Must not compile with the core layer's include path: core is below the store. */
#include "omk/store.h"
int omk_layer_probe(void);
int omk_layer_probe(void) { return 0; }
