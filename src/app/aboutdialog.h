// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
// matrix-uploader: the About dialog.
#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace MatrixUpload::App {

//! "About Matrix Uploader": the app's name and version, what it does, the licence (its text on
//! demand, from the resources), the project's page, the Qt it was built with and runs on, and
//! "About Qt".
//!
//! Object names: aboutVersion, aboutDescription, aboutLicense, licenseButton, licenseText,
//! aboutUrl, aboutQtVersion, aboutQtButton.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    //! The dialog, not yet shown.
    explicit AboutDialog(QWidget *parent = nullptr);

    //! The project version CMake builds (project(VERSION) of the top-level CMakeLists.txt).
    static QString version();
    //! The project's home page, as in the AppStream metadata.
    static QString projectUrl();
    //! The MIT licence's text (LICENSES/MIT.txt with the copyright holders filled in).
    static QString licenseText();

private:
    QPlainTextEdit *m_licenseText;
};

} // namespace MatrixUpload::App
