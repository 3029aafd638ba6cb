/* Compiles with the API layer's include path: the control for the layer tests (the same
 * command, an allowed include). */
#include "omk/store.h"
int omk_layer_probe(void);
int omk_layer_probe(void) { return 0; }
