// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "aboutdialog.h"
#include "trayicon.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
    , m_licenseText(new QPlainTextEdit(this))
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About %1").arg(QApplication::applicationDisplayName()));

    auto *icon = new QLabel(this);
    icon->setPixmap(TrayStatus::appIcon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);

    // The name is the product's, not the running program's display name (tests set their own).
    auto *name = new QLabel(u"<b><big>Matrix Uploader</big></b>"_s, this);
    auto *versionLabel = new QLabel(tr("Version %1").arg(version()), this);
    versionLabel->setObjectName(u"aboutVersion"_s);
    versionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *description = new QLabel(
        tr("Drop files on a window, and they go into Matrix: uploaded the fastest way the server "
           "allows, resumable, and posted to a room."),
        this);
    description->setObjectName(u"aboutDescription"_s);
    description->setWordWrap(true);
    auto *license = new QLabel(tr("Free software under the MIT licence."), this);
    license->setObjectName(u"aboutLicense"_s);
    auto *url = new QLabel(u"<a href=\"%1\">%1</a>"_s.arg(projectUrl().toHtmlEscaped()), this);
    url->setObjectName(u"aboutUrl"_s);
    url->setOpenExternalLinks(true);
    url->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto *qtVersion
        = new QLabel(tr("Built with Qt %1, running on Qt %2.")
                         .arg(QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())),
            this);
    qtVersion->setObjectName(u"aboutQtVersion"_s);

    m_licenseText->setObjectName(u"licenseText"_s);
    m_licenseText->setReadOnly(true);
    m_licenseText->setPlainText(licenseText());
    m_licenseText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_licenseText->setMinimumHeight(200);
    m_licenseText->hide();

    auto *text = new QVBoxLayout;
    text->addWidget(name);
    text->addWidget(versionLabel);
    text->addSpacing(8);
    text->addWidget(description);
    text->addWidget(license);
    text->addWidget(url);
    text->addWidget(qtVersion);
    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addSpacing(12);
    top->addLayout(text, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *licenseButton = buttons->addButton(tr("&Licence"), QDialogButtonBox::ActionRole);
    licenseButton->setObjectName(u"licenseButton"_s);
    licenseButton->setCheckable(true);
    auto *aboutQt = buttons->addButton(tr("About &Qt"), QDialogButtonBox::ActionRole);
    aboutQt->setObjectName(u"aboutQtButton"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_licenseText, 1);
    layout->addWidget(buttons);

    connect(licenseButton, &QPushButton::toggled, this, [this](bool on) {
        m_licenseText->setVisible(on);
        adjustSize();
    });
    connect(aboutQt, &QPushButton::clicked, qApp, &QApplication::aboutQt);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(460);
}

QString AboutDialog::version()
{
    return QStringLiteral(MU_APP_VERSION);
}

QString AboutDialog::projectUrl()
{
    return u"https://github.com/matrixuploader/matrix-uploader"_s;
}

QString AboutDialog::licenseText()
{
    // The REUSE copy of the licence (LICENSES/MIT.txt) leaves the holders as a placeholder;
    // packaging/copyright names them.
    QFile file(u":/licenses/MIT.txt"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(file.readAll());
    text.replace(u"<year> <copyright holders>"_s, u"2026 Matrix Uploader contributors"_s);
    return text;
}

} // namespace MatrixUpload::App
