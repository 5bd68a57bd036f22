#include "core/kube/object_codec.h"

#include <zstd.h>

#include <stdexcept>
#include <utility>

namespace sessiongate::kube {
namespace {

// The tag byte of a stored form.
constexpr char kPlain = 'P';
constexpr char kCompressed = 'Z';
// zstd's level 3 (its default): a child object of the controller compresses in a few microseconds.
constexpr int kLevel = 3;

// One compression and one decompression context per thread: a context is not thread-safe, and making one
// per call would allocate its tables every time.
struct ContextDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};
ZSTD_CCtx* compressionContext() {
  thread_local std::unique_ptr<ZSTD_CCtx, ContextDeleter> context(ZSTD_createCCtx());
  return context.get();
}
ZSTD_DCtx* decompressionContext() {
  thread_local std::unique_ptr<ZSTD_DCtx, ContextDeleter> context(ZSTD_createDCtx());
  return context.get();
}

}  // namespace

std::string packObject(const Json& object) {
  std::string packed;
  Json::to_msgpack(object, nlohmann::detail::output_adapter<char>(packed));
  packed.shrink_to_fit();
  return packed;
}

SharedObject unpackObject(std::string_view packed) {
  return std::make_shared<const Json>(Json::from_msgpack(packed.begin(), packed.end()));
}

struct ObjectCodec::Dictionary {
  explicit Dictionary(const std::string& content)
      : size(content.size()),
        // Content that does not begin with zstd's dictionary magic (MessagePack never does) is raw content.
        compress(ZSTD_createCDict(content.data(), content.size(), kLevel)),
        decompress(ZSTD_createDDict(content.data(), content.size())) {
    if (compress == nullptr || decompress == nullptr) throw std::bad_alloc();
  }
  ~Dictionary() {
    ZSTD_freeCDict(compress);
    ZSTD_freeDDict(decompress);
  }
  std::size_t size;
  ZSTD_CDict* compress;
  ZSTD_DDict* decompress;
};

ObjectCodec::ObjectCodec(std::size_t dictionaryObjects) : dictionaryObjects_(dictionaryObjects) {}

ObjectCodec::~ObjectCodec() = default;

std::size_t ObjectCodec::dictionarySize() const {
  const Dictionary* dictionary = dictionary_.load(std::memory_order_acquire);
  return dictionary ? dictionary->size : 0;
}

std::string ObjectCodec::encode(const Json& object) {
  const std::string packed = packObject(object);
  const Dictionary* dictionary = dictionary_.load(std::memory_order_acquire);
  if (dictionary == nullptr) {
    std::lock_guard<std::mutex> guard(mu_);
    if (owned_ == nullptr) {
      samples_ += packed;
      if (++sampled_ >= dictionaryObjects_) {
        owned_ = std::make_unique<Dictionary>(samples_);
        samples_ = std::string();
        dictionary_.store(owned_.get(), std::memory_order_release);
      }
      std::string stored(1, kPlain);
      stored += packed;
      stored.shrink_to_fit();
      return stored;
    }
    dictionary = owned_.get();
  }
  std::string stored(1 + ZSTD_compressBound(packed.size()), '\0');
  const std::size_t size =
      ZSTD_compress_usingCDict(compressionContext(), stored.data() + 1, stored.size() - 1, packed.data(),
                               packed.size(), dictionary->compress);
  if (ZSTD_isError(size)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(size));
  stored[0] = kCompressed;
  stored.resize(1 + size);
  stored.shrink_to_fit();
  return stored;
}

SharedObject ObjectCodec::decode(std::string_view stored) const {
  if (stored.empty()) throw std::invalid_argument("ObjectCodec::decode: empty stored form");
  const std::string_view body = stored.substr(1);
  if (stored[0] == kPlain) return unpackObject(body);
  const Dictionary* dictionary = dictionary_.load(std::memory_order_acquire);
  if (stored[0] != kCompressed || dictionary == nullptr)
    throw std::invalid_argument("ObjectCodec::decode: not a form this codec encoded");
  const unsigned long long size = ZSTD_getFrameContentSize(body.data(), body.size());
  if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR)
    throw std::invalid_argument("ObjectCodec::decode: a zstd frame without its content size");
  std::string packed(size, '\0');
  const std::size_t got = ZSTD_decompress_usingDDict(decompressionContext(), packed.data(), packed.size(),
                                                     body.data(), body.size(), dictionary->decompress);
  if (ZSTD_isError(got) || got != size)
    throw std::runtime_error(std::string("zstd: ") +
                             (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame"));
  return unpackObject(packed);
}

}  // namespace sessiongate::kube
