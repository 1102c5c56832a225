/* libFuzzer target: the YAML readers (yaml.c, Flink configuration files,
 * FlinkDeployment import) on arbitrary bytes. Each must return a result or
 * an error and never crash, leak or read out of bounds. Seeds:
 * tests/fuzz/corpus/yaml/. Build with clang -fsanitize=fuzzer,address
 * against librescalesim (the lead wires it into tests/fuzz/meson.build). */
#include <stdint.h>
#include <stdlib.h>

#include <rescalesim/import.h>
#include "scenario/inputs-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  GError *error = NULL;
  RsimYamlDoc *doc = rsim__yaml_parse (text, size, "fuzz.yaml", &error);
  if ((doc == NULL) == (error == NULL))
    abort ();
  rsim__yaml_doc_free (doc);
  g_clear_error (&error);
  for (int legacy = 0; legacy < 2; legacy++) {
    RsimConfFile *f = rsim__conf_file_parse (text, size, "config.yaml", legacy,
                                             &error);
    if ((f == NULL) == (error == NULL))
      abort ();
    rsim__conf_file_free (f);
    g_clear_error (&error);
  }
  char *sc = rsim_import_deployment (text, size, "deployment.yaml", NULL, 0,
                                     NULL, NULL, NULL, &error);
  if ((sc == NULL) == (error == NULL))
    abort ();
  g_free (sc);
  g_clear_error (&error);
  return 0;
}
