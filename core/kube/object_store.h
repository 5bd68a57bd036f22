#pragma once
// ObjectStore is an informer's thread-safe copy of one resource, keyed by namespace/name. Objects are held as
// shared read-only documents: a lookup copies a pointer, never an object, and a reader keeps the version it
// got alive for as long as it needs it, however the store changes meanwhile. A store of many objects can be
// packed instead (StoreOptions::packed): a tenth of the memory, paid for by a decode per lookup.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/kube/object_codec.h"

namespace sessiongate::kube {

// ObjectTrim drops, on the way in, what the store's readers never read (status, managedFields, ...) so that
// it costs no memory; it runs once per delivered object, on the informer's thread. Empty: keep everything.
using ObjectTrim = std::function<void(Json& object)>;

// keepOnlyMembers, the building block of trims, erases every member of object not named in keys (an object
// that is not a JSON object is left alone, so its parser still reports it).
void keepOnlyMembers(Json& object, const std::vector<std::string_view>& keys);

// IndexFunc is the value an object is indexed under (a UserSession's spec.user, say); "" leaves it out.
using IndexFunc = std::function<std::string(const Json& object)>;

// StoreOptions say how a store holds its objects.
struct StoreOptions {
  ObjectTrim trim;
  // packed: each object is kept as its MessagePack encoding and decoded into a new read-only document on
  // every lookup. nlohmann allocates a node per member, so a parsed object costs 7-10 times its JSON text
  // (a trimmed worker pod: 5.1 KB parsed, 0.5 KB packed); the decode costs microseconds, against the
  // milliseconds of any API request a lookup may lead to. For a store of thousands of objects each read a
  // few times per reconcile (the controller's); a store read on every request keeps them parsed.
  bool packed = false;
  // compressed (implies packed): the MessagePack is compressed with zstd against a dictionary made of the
  // first objects stored (ObjectCodec). The controller's stores hold thousands of objects of one kind made
  // from one policy; measured with bench/controller_bench.sh at 5,000 sessions, compression cut the
  // controller's peak RSS from 68.1 to 55.2 MB at the same rate (19.5 and 20.0 sessions/s).
  bool compressed = false;
  // index: the store keeps the keys of the objects under each value, so that byIndex reads those objects
  // only (client-go's Indexer) instead of every object.
  IndexFunc index;
};

// ObjectStore holds the latest version of each object the reflector delivered, trimmed.
class ObjectStore {
 public:
  explicit ObjectStore(ObjectTrim trim = {}) { options_.trim = std::move(trim); }
  explicit ObjectStore(StoreOptions options);

  // keyOf is "namespace/name", or "name" for cluster-scoped objects.
  static std::string keyOf(const Json& object);
  static std::string keyOf(std::string_view ns, std::string_view name);

  // replace swaps the whole content and returns the objects that were dropped (deleted while unwatched).
  std::vector<SharedObject> replace(std::vector<Json> items);
  // upsert stores (a trimmed copy of) object and returns what it stored.
  SharedObject upsert(Json object);
  void erase(const Json& object);
  SharedObject find(std::string_view ns, std::string_view name) const;
  // findKey finds the object stored under key (as keyOf and keys() spell it).
  SharedObject findKey(std::string_view key) const;
  // list is every object, in key order.
  std::vector<SharedObject> list() const;
  // keys is every object's key, in key order (no object is decoded).
  std::vector<std::string> keys() const;
  // byIndex is the objects StoreOptions::index files under value, in key order (none without an index).
  std::vector<SharedObject> byIndex(std::string_view value) const;
  std::size_t size() const;

 private:
  // Entry is one object as held: parsed (object) or packed (MessagePack bytes), and its index value.
  struct Entry {
    SharedObject object;
    std::string packed;
    std::string indexValue;
  };
  Entry entryOf(SharedObject object) const;
  SharedObject objectOf(const Entry& entry) const;
  void unindex(const std::string& key, const Entry& entry);
  void reindex(const std::string& key, const Entry& entry);

  StoreOptions options_;
  std::unique_ptr<ObjectCodec> codec_;  // compressed stores only
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> objects_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> index_;
};

}  // namespace sessiongate::kube
