#pragma once
// ObjectCodec is how a compressed ObjectStore holds an object: its MessagePack encoding, compressed with zstd
// against a dictionary made of the first objects the codec encoded. The objects of one store are of one kind
// and share most of their bytes (keys, labels, API versions, the policy-made specs), so against that
// dictionary a child object of the controller compresses to a fraction of its MessagePack form; see
// StoreOptions::compressed for the figures.
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/json.h"

namespace sessiongate::kube {

// SharedObject is one cached object, shared read-only between a store and its readers (null: absent).
using SharedObject = std::shared_ptr<const Json>;

// packObject is object's packed form (MessagePack), as a packed store keeps it and as the codec compresses
// it; unpackObject reads it back.
std::string packObject(const Json& object);
SharedObject unpackObject(std::string_view packed);

// ObjectCodec is thread-safe: informers encode while workers decode.
class ObjectCodec {
 public:
  // dictionaryObjects: how many of the first encoded objects make the dictionary (their MessagePack bytes,
  // joined). Until then objects are kept as plain MessagePack, and stay so.
  explicit ObjectCodec(std::size_t dictionaryObjects = 4);
  ~ObjectCodec();
  ObjectCodec(const ObjectCodec&) = delete;
  ObjectCodec& operator=(const ObjectCodec&) = delete;

  // encode is object's stored form: a tag byte, then plain MessagePack or its zstd frame.
  std::string encode(const Json& object);
  // decode reads back what encode made; a form it did not make is a programming error (it throws).
  SharedObject decode(std::string_view stored) const;

  // dictionarySize is the dictionary's size in bytes, 0 while it is still being gathered.
  std::size_t dictionarySize() const;

 private:
  struct Dictionary;
  const std::size_t dictionaryObjects_;
  mutable std::mutex mu_;
  std::string samples_;  // gathered under mu_ until the dictionary is made
  std::size_t sampled_ = 0;
  std::atomic<const Dictionary*> dictionary_{nullptr};  // set once, then read without the lock
  std::unique_ptr<Dictionary> owned_;
};

}  // namespace sessiongate::kube
