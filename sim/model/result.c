/* Run results: release. */
#include <rescalesim/metrics.h>

static void
incident_free (gpointer p)
{
  RsimIncident *inc = p;
  g_free (inc->cause);
  if (inc->decisions)
    g_ptr_array_unref (inc->decisions);
  g_free (inc);
}

void
rsim_result_free (RsimResult *result)
{
  if (result == NULL)
    return;
  g_free (result->final_state);
  g_strfreev (result->vertex_names);
  g_free (result->final_parallelism);
  g_free (result->vertex_restore);
  if (result->incidents) {
    g_ptr_array_set_free_func (result->incidents, incident_free);
    g_ptr_array_unref (result->incidents);
  }
  if (result->notes)
    g_ptr_array_unref (result->notes);
  g_free (result);
}
