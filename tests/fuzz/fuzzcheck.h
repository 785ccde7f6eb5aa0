// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// What the fuzzers (tests/fuzz) share: a check that ends the run as a crash, so that libFuzzer
// keeps the input that broke a property, and Qt's messages kept quiet.
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

//! Aborts (a crash for libFuzzer, which saves the input) when \a cond is false.
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);    \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

//! The fuzzer's bytes as a QByteArray (a copy: the parsers may keep it).
inline QByteArray fuzzBytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

//! Warnings from the code under test (an ignored upload_url) would flood the fuzzer's output.
inline void quietQtMessages()
{
    static const bool once = [] {
        qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
        return true;
    }();
    Q_UNUSED(once);
}
