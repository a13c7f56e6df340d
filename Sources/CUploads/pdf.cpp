// PDF inspection for uploads with qpdf: every object is looked at (those inside compressed
// object streams too, as qpdf resolves them), active content refuses the file, and an
// accepted file is written again by qpdf so that what is stored is exactly what was looked at.

// qpdf's PointerHolder is not used here: only std::shared_ptr.
#define POINTERHOLDER_TRANSITION 4

#include "cuploads.h"

#include <qpdf/Buffer.hh>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFStreamFilter.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// MARK: - Bounded decoding

/// How many bytes qpdf may still decode for the inspection running on this thread. qpdf
/// decodes stream data itself only for cross-reference streams (while opening the file) and
/// object streams (while resolving objects); page contents and images are never decoded here.
thread_local size_t decode_budget = 0;
/// Whether the budget ran out (the refusal then says so, not "damaged").
thread_local bool budget_exceeded = false;

/// The most decoded cross-reference data (a 5-byte entry per object: ~200,000 objects),
/// which also bounds the tables qpdf builds from it (some 350 bytes an entry).
constexpr size_t xref_budget = 1u << 20;
/// The most decoded object-stream data.
constexpr size_t object_budget = 16u << 20;
/// The most objects a file may declare.
constexpr size_t max_objects = 500000;
/// The most values looked at (direct objects nested in the indirect ones included).
constexpr size_t max_visits = 20000000;

/// Passes bytes on while the thread's budget lasts; then throws (qpdf turns the exception
/// into a warning, which refuses the file).
class Limiter : public Pipeline {
  public:
    explicit Limiter(Pipeline *next) : Pipeline("mimamori-limit", next) {}
    void write(unsigned char const *data, size_t len) override {
        if (len > decode_budget) {
            decode_budget = 0;
            budget_exceeded = true;
            throw std::runtime_error("decoded stream data exceeds the limit");
        }
        decode_budget -= len;
        getNext()->write(data, len);
    }
    void finish() override { getNext()->finish(); }
};

/// Undoes the PNG predictors (/Predictor 10–15) row by row.
class PNGUnpredictor : public Pipeline {
  public:
    PNGUnpredictor(Pipeline *next, size_t row_bytes, size_t pixel_bytes)
        : Pipeline("mimamori-png-predictor", next), row(row_bytes + 1), previous(row_bytes, 0), pixel_bytes(pixel_bytes) {}
    void write(unsigned char const *data, size_t len) override {
        while (len > 0) {
            size_t take = std::min(len, row.size() - filled);
            std::memcpy(row.data() + filled, data, take);
            filled += take;
            data += take;
            len -= take;
            if (filled == row.size()) decodeRow();
        }
    }
    void finish() override {
        // An incomplete last row is dropped, as qpdf's own predictor does.
        getNext()->finish();
    }

  private:
    std::vector<unsigned char> row;
    std::vector<unsigned char> previous;
    size_t pixel_bytes;
    size_t filled = 0;

    void decodeRow() {
        unsigned char type = row[0];
        unsigned char *current = row.data() + 1;
        size_t count = previous.size();
        for (size_t i = 0; i < count; i++) {
            unsigned left = i >= pixel_bytes ? current[i - pixel_bytes] : 0;
            unsigned up = previous[i];
            unsigned upper_left = i >= pixel_bytes ? previous[i - pixel_bytes] : 0;
            unsigned add;
            switch (type) {
            case 0: add = 0; break;
            case 1: add = left; break;
            case 2: add = up; break;
            case 3: add = (left + up) / 2; break;
            case 4: {
                int p = int(left) + int(up) - int(upper_left);
                int pa = std::abs(p - int(left)), pb = std::abs(p - int(up)), pc = std::abs(p - int(upper_left));
                add = (pa <= pb && pa <= pc) ? left : (pb <= pc ? up : upper_left);
                break;
            }
            default: throw std::runtime_error("invalid PNG predictor row type");
            }
            current[i] = static_cast<unsigned char>(current[i] + add);
        }
        std::memcpy(previous.data(), current, count);
        getNext()->write(current, count);
        filled = 0;
    }
};

/// /FlateDecode through the budget: zlib's output passes the limiter before anything else.
class BoundedFlate : public QPDFStreamFilter {
  public:
    bool setDecodeParms(QPDFObjectHandle parms) override {
        if (parms.isNull()) return true;
        if (!parms.isDictionary()) return false;
        auto number = [&](char const *key, long long fallback) {
            auto value = parms.getKey(key);
            return value.isInteger() ? value.getIntValue() : fallback;
        };
        predictor = number("/Predictor", 1);
        long long colors = number("/Colors", 1), bits = number("/BitsPerComponent", 8), columns = number("/Columns", 1);
        if (predictor == 1) return true;
        // TIFF predictor 2 is never used for the streams qpdf decodes here; refused.
        if (predictor < 10 || predictor > 15) return false;
        if (colors < 1 || colors > 32 || columns < 1 || columns > (1 << 20)) return false;
        if (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16) return false;
        row_bytes = static_cast<size_t>((columns * colors * bits + 7) / 8);
        pixel_bytes = static_cast<size_t>(std::max(1LL, colors * bits / 8));
        return true;
    }
    Pipeline *getDecodePipeline(Pipeline *next) override {
        Pipeline *after = next;
        if (predictor >= 10) {
            unpredictor = std::make_unique<PNGUnpredictor>(next, row_bytes, pixel_bytes);
            after = unpredictor.get();
        }
        limiter = std::make_unique<Limiter>(after);
        inflate = std::make_unique<Pl_Flate>("mimamori-inflate", limiter.get(), Pl_Flate::a_inflate);
        return inflate.get();
    }

  private:
    long long predictor = 1;
    size_t row_bytes = 0;
    size_t pixel_bytes = 1;
    std::unique_ptr<PNGUnpredictor> unpredictor;
    std::unique_ptr<Limiter> limiter;
    std::unique_ptr<Pl_Flate> inflate;
};

/// A filter qpdf may not decode here (LZW, run-length and ASCII85 expand their input many
/// times and are never used for cross-reference or object streams): streams that use it stay
/// encoded, and an object or cross-reference stream that uses it cannot be read.
class Undecodable : public QPDFStreamFilter {
  public:
    bool setDecodeParms(QPDFObjectHandle) override { return false; }
    Pipeline *getDecodePipeline(Pipeline *) override { throw std::logic_error("undecodable filter"); }
};

/// Replaces qpdf's decoders once for the process (qpdf keeps them in a static table).
void registerFilters() {
    static std::once_flag once;
    std::call_once(once, [] {
        QPDF::registerStreamFilter("/FlateDecode", [] { return std::make_shared<BoundedFlate>(); });
        for (char const *name : {"/LZWDecode", "/RunLengthDecode", "/ASCII85Decode"}) {
            QPDF::registerStreamFilter(name, [] { return std::make_shared<Undecodable>(); });
        }
    });
}

// MARK: - Active content

/// The first active content found, with where.
struct Finding {
    cuploads_pdf_active kind = CUPLOADS_PDF_ACTIVE_NONE;
    std::string detail;
};

/// Thrown when the walk gives up (too many values); refused as too complex.
struct TooComplex {};

bool isName(QPDFObjectHandle value, char const *name) { return value.isName() && value.getName() == name; }

/// Whether a /URI target is a web or mail address (leading spaces ignored, case-insensitive).
bool isWebAddress(std::string uri) {
    size_t start = uri.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return false;
    uri = uri.substr(start, 8);
    for (auto &c : uri) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0 || uri.rfind("mailto:", 0) == 0;
}

/// How grave a finding is (a file with several reports the gravest): scripts first.
int gravity(cuploads_pdf_active kind) {
    switch (kind) {
    case CUPLOADS_PDF_ACTIVE_JAVASCRIPT: return 9;
    case CUPLOADS_PDF_ACTIVE_LAUNCH: return 8;
    case CUPLOADS_PDF_ACTIVE_EMBEDDED_FILE: return 7;
    case CUPLOADS_PDF_ACTIVE_XFA: return 6;
    case CUPLOADS_PDF_ACTIVE_AUTOMATIC: return 5;
    case CUPLOADS_PDF_ACTIVE_OPEN_ACTION: return 4;
    case CUPLOADS_PDF_ACTIVE_OTHER_ACTION: return 3;
    case CUPLOADS_PDF_ACTIVE_LOCAL_LINK: return 2;
    case CUPLOADS_PDF_ACTIVE_MULTIMEDIA: return 1;
    default: return 0;
    }
}

/// Looks at every value of every object and keeps the gravest finding.
class Walker {
  public:
    Finding finding;

    /// Checks one indirect object and the direct values inside it (indirect ones are
    /// checked on their own, as every object of the file is).
    void check(QPDFObjectHandle object) {
        std::vector<QPDFObjectHandle> pending{object};
        while (!pending.empty() && finding.kind != CUPLOADS_PDF_ACTIVE_JAVASCRIPT) {
            if (++visits > max_visits) throw TooComplex();
            QPDFObjectHandle value = pending.back();
            pending.pop_back();
            if (value.isStream()) value = value.getDict();
            if (value.isDictionary()) {
                checkDictionary(value);
                for (auto const &key : value.getKeys()) {
                    QPDFObjectHandle item = value.getKey(key);
                    if (!item.isIndirect()) pending.push_back(item);
                }
            } else if (value.isArray()) {
                for (auto &item : value.getArrayAsVector()) {
                    if (!item.isIndirect()) pending.push_back(item);
                }
            }
        }
    }

  private:
    size_t visits = 0;

    void found(cuploads_pdf_active kind, std::string detail) {
        if (gravity(kind) > gravity(finding.kind)) finding = {kind, std::move(detail)};
    }

    void checkDictionary(QPDFObjectHandle dictionary) {
        if (dictionary.hasKey("/JS") || dictionary.hasKey("/JavaScript")) {
            found(CUPLOADS_PDF_ACTIVE_JAVASCRIPT, dictionary.hasKey("/JS") ? "/JS" : "/JavaScript");
        }
        if (dictionary.hasKey("/AA")) found(CUPLOADS_PDF_ACTIVE_AUTOMATIC, "/AA");
        // Opening at a page is allowed, as a destination or a plain /GoTo action (LaTeX's hyperref
        // writes one); any other action on opening is not (a web address, a named menu item
        // such as printing, a chain of actions).
        QPDFObjectHandle open = dictionary.getKey("/OpenAction");
        if (open.isDictionary() && !(isName(open.getKey("/S"), "/GoTo") && !open.hasKey("/Next"))) {
            found(CUPLOADS_PDF_ACTIVE_OPEN_ACTION, "/OpenAction");
        }
        if (dictionary.hasKey("/EmbeddedFiles") || dictionary.hasKey("/EF")) {
            found(CUPLOADS_PDF_ACTIVE_EMBEDDED_FILE, dictionary.hasKey("/EF") ? "/EF" : "/EmbeddedFiles");
        }
        if (dictionary.hasKey("/XFA")) found(CUPLOADS_PDF_ACTIVE_XFA, "/XFA");
        QPDFObjectHandle type = dictionary.getKey("/Type"), subtype = dictionary.getKey("/Subtype");
        if (isName(type, "/EmbeddedFile") || isName(subtype, "/FileAttachment")) {
            found(CUPLOADS_PDF_ACTIVE_EMBEDDED_FILE, isName(type, "/EmbeddedFile") ? "/Type /EmbeddedFile" : "/FileAttachment");
        }
        for (char const *media : {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}) {
            if (isName(subtype, media)) found(CUPLOADS_PDF_ACTIVE_MULTIMEDIA, std::string("/Subtype ") + media);
        }
        // An action type that is never anything else, wherever it stands.
        QPDFObjectHandle kind = dictionary.getKey("/S");
        if (isName(kind, "/JavaScript")) found(CUPLOADS_PDF_ACTIVE_JAVASCRIPT, "/S /JavaScript");
        if (isName(kind, "/Launch")) found(CUPLOADS_PDF_ACTIVE_LAUNCH, "/S /Launch");
        // Action dictionaries, by their type or by where they stand (/A of a link or an
        // outline item, /Next of another action), must be of an allowed kind.
        if (isName(type, "/Action")) checkAction(dictionary);
        for (char const *key : {"/A", "/Next"}) {
            QPDFObjectHandle value = dictionary.getKey(key);
            if (value.isDictionary()) {
                checkAction(value);
            } else if (value.isArray()) {
                for (auto &item : value.getArrayAsVector()) {
                    if (item.isDictionary()) checkAction(item);
                }
            }
        }
    }

    void checkAction(QPDFObjectHandle action) {
        // Without /S it is no action (a structure element's /A, for one, holds attributes).
        QPDFObjectHandle kind = action.getKey("/S");
        if (!kind.isName()) return;
        std::string name = kind.getName();
        if (name == "/JavaScript") return found(CUPLOADS_PDF_ACTIVE_JAVASCRIPT, "/S /JavaScript");
        if (name == "/Launch") return found(CUPLOADS_PDF_ACTIVE_LAUNCH, "/S /Launch");
        if (name == "/URI") {
            QPDFObjectHandle uri = action.getKey("/URI");
            if (!uri.isString() || !isWebAddress(uri.getStringValue())) {
                return found(CUPLOADS_PDF_ACTIVE_LOCAL_LINK, "/URI");
            }
            return;
        }
        if (name == "/GoTo" || name == "/Named" || name == "/Thread") return;
        found(CUPLOADS_PDF_ACTIVE_OTHER_ACTION, "/S " + name.substr(0, 40));
    }
};

/// Copies a message into the caller's buffer, NUL-terminated.
void describe(char *detail, size_t detail_size, std::string const &text) {
    if (detail == nullptr || detail_size == 0) return;
    size_t length = std::min(text.size(), detail_size - 1);
    std::memcpy(detail, text.data(), length);
    detail[length] = '\0';
}

/// qpdf's message, shortened.
std::string message(std::exception const &error) {
    std::string text = error.what();
    return text.substr(0, 200);
}

/// Whether qpdf reports memory running out (it turns std::bad_alloc into its own errors and
/// warnings): the child's memory limit was reached, which is not damage.
bool outOfMemory(std::string const &text) { return text.find("bad_alloc") != std::string::npos; }

/// Unreadable, or out of memory when that is what qpdf's message says.
cuploads_pdf_status unreadable(char *detail, size_t detail_size, std::string const &text) {
    describe(detail, detail_size, outOfMemory(text) ? "out of memory" : text);
    return outOfMemory(text) ? CUPLOADS_PDF_FAILED : CUPLOADS_PDF_UNREADABLE;
}

}  // namespace

extern "C" cuploads_pdf_status cuploads_pdf_inspect(const uint8_t *input, size_t size, cuploads_buffer *out,
                                                    cuploads_pdf_active *active, char *detail, size_t detail_size) {
    *active = CUPLOADS_PDF_ACTIVE_NONE;
    describe(detail, detail_size, "");
    registerFilters();
    budget_exceeded = false;
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        // No reconstruction of a damaged cross-reference table: what a viewer's repair would
        // make of such a file is not what was inspected.
        pdf.setAttemptRecovery(false);
        decode_budget = xref_budget;
        try {
            pdf.processMemoryFile("upload", reinterpret_cast<char const *>(input), size, nullptr);
        } catch (QPDFExc const &error) {
            if (budget_exceeded) {
                describe(detail, detail_size, "more than 1 MiB of cross-reference data");
                return CUPLOADS_PDF_TOO_COMPLEX;
            }
            if (error.getErrorCode() == qpdf_e_password) {
                describe(detail, detail_size, "the file needs a password to open");
                return CUPLOADS_PDF_ENCRYPTED;
            }
            return unreadable(detail, detail_size, message(error));
        }
        if (pdf.isEncrypted()) {
            describe(detail, detail_size, "the file is encrypted");
            return CUPLOADS_PDF_ENCRYPTED;
        }
        if (pdf.getObjectCount() > max_objects) {
            describe(detail, detail_size, "more than 500,000 objects");
            return CUPLOADS_PDF_TOO_COMPLEX;
        }
        decode_budget = object_budget;
        Walker walker;
        walker.check(pdf.getTrailer());
        for (auto &object : pdf.getAllObjects()) {
            // Nothing is graver than a script: the rest need not be looked at.
            if (walker.finding.kind == CUPLOADS_PDF_ACTIVE_JAVASCRIPT) break;
            walker.check(object);
        }
        if (budget_exceeded) {
            describe(detail, detail_size, "more than 16 MiB of object-stream data");
            return CUPLOADS_PDF_TOO_COMPLEX;
        }
        if (pdf.anyWarnings()) {
            auto warnings = pdf.getWarnings();
            return unreadable(detail, detail_size, warnings.empty() ? "damaged" : message(warnings.front()));
        }
        if (walker.finding.kind != CUPLOADS_PDF_ACTIVE_NONE) {
            *active = walker.finding.kind;
            describe(detail, detail_size, walker.finding.detail);
            return CUPLOADS_PDF_ACTIVE;
        }
        // Written again: only objects the document reaches, one revision, nothing after the
        // end; stream data is copied as it was (never decoded or recompressed here).
        QPDFWriter writer(pdf);
        writer.setOutputMemory();
        writer.setDecodeLevel(qpdf_dl_none);
        writer.setCompressStreams(false);
        writer.setDeterministicID(true);
        writer.write();
        if (pdf.anyWarnings()) {
            auto warnings = pdf.getWarnings();
            return unreadable(detail, detail_size, warnings.empty() ? "damaged" : message(warnings.front()));
        }
        auto buffer = writer.getBufferSharedPointer();
        out->data = static_cast<uint8_t *>(std::malloc(buffer->getSize() == 0 ? 1 : buffer->getSize()));
        if (out->data == nullptr) return CUPLOADS_PDF_FAILED;
        std::memcpy(out->data, buffer->getBuffer(), buffer->getSize());
        out->size = buffer->getSize();
        return CUPLOADS_PDF_OK;
    } catch (TooComplex const &) {
        describe(detail, detail_size, "too many values to inspect");
        return CUPLOADS_PDF_TOO_COMPLEX;
    } catch (std::bad_alloc const &) {
        describe(detail, detail_size, "out of memory");
        return CUPLOADS_PDF_FAILED;
    } catch (std::exception const &error) {
        if (budget_exceeded) {
            describe(detail, detail_size, "decoded stream data exceeds the limit");
            return CUPLOADS_PDF_TOO_COMPLEX;
        }
        return unreadable(detail, detail_size, message(error));
    } catch (...) {
        describe(detail, detail_size, "unreadable");
        return CUPLOADS_PDF_UNREADABLE;
    }
}
