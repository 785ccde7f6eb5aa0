// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// Matrix Uploader's programs: the system locale's translations, installed the same way by the
// CLI and the app.
#pragma once

#include <matrixupload/translations.h>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace MatrixUpload {

//! Installs the system locale's translations (Qt reads LANG, LC_ALL, LC_MESSAGES and LANGUAGE
//! itself, no glibc locale needed): Qt's own (dialog buttons, QCommandLineParser's --help lines),
//! the libraries' and the programs' (embedded, translations/README.md). Owned by \a app.
inline void installProgramTranslators(QCoreApplication &app)
{
    const QLocale locale;
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    installTranslator(locale);
    auto *own = new QTranslator(&app);
    if (loadTranslation(*own, locale, QStringLiteral("matrix-uploader")))
        QCoreApplication::installTranslator(own);
}

} // namespace MatrixUpload
